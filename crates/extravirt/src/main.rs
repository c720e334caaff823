//! `extravirt`: the command-line front end.
//!
//! Exit status: 0 when the guest passes or powers off, 1 when it reports failure, 2 for bad input
//! or a run that cannot finish (one line on stderr naming the file and the problem).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod campaign;
mod host;
mod vm;

#[derive(Parser)]
#[command(
    name = "extravirt",
    version,
    about = "A VMM that replicates RISC-V VMs to catch silent CPU faults"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a guest.
    Run(Box<RunArgs>),
    /// Measure interpreter speed (MIPS) on built-in CPU-bound and memory-heavy guest loops.
    Bench(bench::BenchArgs),
    /// Fault-injection campaign: a golden run, then N runs with one random bit flip each.
    Campaign(Box<campaign::CampaignArgs>),
}

#[derive(clap::Args)]
struct RunArgs {
    /// A bare-metal ELF using HTIF `tohost` (riscv-tests style), started in M-mode at its entry.
    #[arg(long, conflicts_with = "kernel", required_unless_present = "kernel")]
    elf: Option<PathBuf>,
    /// Stop after this many retired instructions: with --elf an error (exit 2), with
    /// --kernel exit status 4.
    #[arg(long)]
    max_instructions: Option<u64>,
    #[command(flatten)]
    vm: vm::VmArgs,
}

fn run_elf(elf: &Path, max_instructions: u64) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("extravirt: {}: {msg}", elf.display());
        ExitCode::from(2)
    };
    let mut m = match machine::bare::BareMachine::load(elf) {
        Ok(m) => m,
        Err(e) => return fail(e.to_string()),
    };
    match m.run(max_instructions, &mut std::io::stdout()) {
        Ok(f) if f.code == 0 => ExitCode::SUCCESS,
        Ok(f) => {
            println!("FAIL: test {}", f.code);
            ExitCode::from(1)
        }
        Err(e) => fail(e.to_string()),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout as usual; a usage error is one line and status 2.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("bad arguments")
                .trim_start_matches("error: ");
            eprintln!("extravirt: {first}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Run(args) => match (&args.elf, &args.vm.kernel) {
            (Some(elf), _) => run_elf(elf, args.max_instructions.unwrap_or(10_000_000_000)),
            (None, Some(_)) => vm::run(&args.vm, args.max_instructions.unwrap_or(u64::MAX)),
            (None, None) => unreachable!("clap requires --elf or --kernel"),
        },
        Command::Bench(args) => bench::run(&args),
        Command::Campaign(args) => campaign::main(&args),
    }
}
