//! Checks on the boot images before anything is loaded, so that a wrong or truncated file is
//! reported by name instead of crashing the guest.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: cannot read: {err}")]
    ReadFailed { path: PathBuf, err: std::io::Error },
    #[error("{path}: {problem}")]
    CheckFailed { path: PathBuf, problem: String },
}

fn read(path: &Path) -> Result<Vec<u8>, ImageError> {
    std::fs::read(path).map_err(|err| ImageError::ReadFailed {
        path: path.into(),
        err,
    })
}

fn bad(path: &Path, problem: impl Into<String>) -> ImageError {
    ImageError::CheckFailed {
        path: path.into(),
        problem: problem.into(),
    }
}

/// A RISC-V Linux `Image`: the header's magic numbers must be present (Documentation/riscv/
/// boot-image-header.rst), and the file must be at least as long as the header says the loaded
/// image's text is.
pub fn read_kernel(path: &Path) -> Result<Vec<u8>, ImageError> {
    let b = read(path)?;
    if b.len() < 64 {
        return Err(bad(
            path,
            format!("too short for a RISC-V kernel Image ({} bytes)", b.len()),
        ));
    }
    if &b[48..56] != b"RISCV\0\0\0" || &b[56..60] != b"RSC\x05" {
        return Err(bad(
            path,
            "not a RISC-V kernel Image (no RISCV/RSC\\x05 magic in its header)",
        ));
    }
    Ok(b)
}

/// An initramfs: a cpio archive, possibly compressed. A gzip stream is decompressed to the end
/// to catch truncation, which otherwise shows up only as a kernel panic much later.
pub fn read_initrd(path: &Path) -> Result<Vec<u8>, ImageError> {
    let b = read(path)?;
    if b.starts_with(&[0x1f, 0x8b]) {
        let mut sink = std::io::sink();
        let mut dec = flate2::read::GzDecoder::new(&b[..]);
        std::io::copy(&mut dec, &mut sink)
            .map_err(|e| bad(path, format!("corrupt or truncated gzip data: {e}")))?;
        return Ok(b);
    }
    let known = [
        &b"070701"[..],
        b"070702",
        &[0xfd, b'7', b'z', b'X', b'Z'],
        &[0x28, 0xb5, 0x2f, 0xfd],
    ];
    if known.iter().any(|m| b.starts_with(m)) {
        return Ok(b);
    }
    Err(bad(
        path,
        "not an initramfs (neither a cpio archive nor gzip, xz or zstd data)",
    ))
}

/// Firmware loaded at the start of RAM; it must fit below the kernel.
pub fn read_firmware(path: &Path, max: u64) -> Result<Vec<u8>, ImageError> {
    let b = read(path)?;
    if b.is_empty() || b.len() as u64 > max {
        return Err(bad(
            path,
            format!("firmware is {} bytes; it must be 1..={max}", b.len()),
        ));
    }
    Ok(b)
}
