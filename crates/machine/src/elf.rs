//! A small, defensive ELF64 reader: loadable segments, entry point and symbol lookup.
//!
//! Every offset and size read from the file is checked before use, so a truncated or hostile
//! file produces an [`ElfError`], never a panic.

use std::ops::Range;

const EM_RISCV: u16 = 243;
const PT_LOAD: u32 = 1;
const SHT_SYMTAB: u32 = 2;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ElfError {
    #[error("not an ELF file")]
    ParseNotElf,
    #[error("not a 64-bit little-endian ELF file")]
    ParseNotElf64Le,
    #[error("not a RISC-V ELF file (e_machine {0})")]
    ParseNotRiscv(u16),
    #[error("truncated or corrupt ELF file ({0} out of bounds)")]
    ParseOutOfBounds(&'static str),
}

/// A loadable segment: `file_bytes` go to `paddr`, followed by zeroes up to `mem_size`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub paddr: u64,
    pub file: Range<usize>,
    pub mem_size: u64,
}

/// A parsed ELF image borrowing the file's bytes.
pub struct Elf<'a> {
    bytes: &'a [u8],
    pub entry: u64,
    pub segments: Vec<Segment>,
}

fn get<const N: usize>(b: &[u8], off: u64, what: &'static str) -> Result<[u8; N], ElfError> {
    let start = usize::try_from(off).map_err(|_| ElfError::ParseOutOfBounds(what))?;
    let end = start.checked_add(N).ok_or(ElfError::ParseOutOfBounds(what))?;
    let s = b.get(start..end).ok_or(ElfError::ParseOutOfBounds(what))?;
    let mut out = [0u8; N];
    out.copy_from_slice(s);
    Ok(out)
}

fn u16_at(b: &[u8], off: u64, what: &'static str) -> Result<u16, ElfError> {
    get::<2>(b, off, what).map(u16::from_le_bytes)
}

fn u32_at(b: &[u8], off: u64, what: &'static str) -> Result<u32, ElfError> {
    get::<4>(b, off, what).map(u32::from_le_bytes)
}

fn u64_at(b: &[u8], off: u64, what: &'static str) -> Result<u64, ElfError> {
    get::<8>(b, off, what).map(u64::from_le_bytes)
}

fn range(b: &[u8], off: u64, len: u64, what: &'static str) -> Result<Range<usize>, ElfError> {
    let end = off.checked_add(len).ok_or(ElfError::ParseOutOfBounds(what))?;
    if end > b.len() as u64 {
        return Err(ElfError::ParseOutOfBounds(what));
    }
    Ok(off as usize..end as usize)
}

impl<'a> Elf<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Elf<'a>, ElfError> {
        if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
            return Err(ElfError::ParseNotElf);
        }
        if bytes.len() < 64 || bytes[4] != 2 || bytes[5] != 1 {
            return Err(ElfError::ParseNotElf64Le);
        }
        let machine = u16_at(bytes, 18, "header")?;
        if machine != EM_RISCV {
            return Err(ElfError::ParseNotRiscv(machine));
        }
        let entry = u64_at(bytes, 24, "header")?;
        let phoff = u64_at(bytes, 32, "header")?;
        let phentsize = u16_at(bytes, 54, "header")? as u64;
        let phnum = u16_at(bytes, 56, "header")? as u64;
        let mut segments = Vec::new();
        for i in 0..phnum {
            let ph = phoff
                .checked_add(i * phentsize)
                .ok_or(ElfError::ParseOutOfBounds("program header"))?;
            if u32_at(bytes, ph, "program header")? != PT_LOAD {
                continue;
            }
            let offset = u64_at(bytes, ph + 8, "program header")?;
            let paddr = u64_at(bytes, ph + 24, "program header")?;
            let filesz = u64_at(bytes, ph + 32, "program header")?;
            let memsz = u64_at(bytes, ph + 40, "program header")?;
            let file = range(bytes, offset, filesz, "segment data")?;
            segments.push(Segment {
                paddr,
                file,
                mem_size: memsz.max(filesz),
            });
        }
        Ok(Elf {
            bytes,
            entry,
            segments,
        })
    }

    pub fn segment_bytes(&self, s: &Segment) -> &'a [u8] {
        &self.bytes[s.file.clone()]
    }

    /// The value of the first symbol named `name` in the symbol tables.
    pub fn symbol(&self, name: &str) -> Result<Option<u64>, ElfError> {
        let b = self.bytes;
        let shoff = u64_at(b, 40, "header")?;
        let shentsize = u16_at(b, 58, "header")? as u64;
        let shnum = u16_at(b, 60, "header")? as u64;
        let section = |i: u64| -> Result<u64, ElfError> {
            shoff
                .checked_add(i * shentsize)
                .ok_or(ElfError::ParseOutOfBounds("section header"))
        };
        for i in 0..shnum {
            let sh = section(i)?;
            if u32_at(b, sh + 4, "section header")? != SHT_SYMTAB {
                continue;
            }
            let sym_off = u64_at(b, sh + 24, "section header")?;
            let sym_size = u64_at(b, sh + 32, "section header")?;
            let link = u32_at(b, sh + 40, "section header")? as u64;
            let entsize = u64_at(b, sh + 56, "section header")?.max(24);
            let strtab = section(link)?;
            let str_off = u64_at(b, strtab + 24, "string table header")?;
            let str_size = u64_at(b, strtab + 32, "string table header")?;
            let strings = &b[range(b, str_off, str_size, "string table")?];
            let syms = range(b, sym_off, sym_size, "symbol table")?;
            for s in (syms.start as u64..syms.end as u64).step_by(entsize as usize) {
                let name_off = u32_at(b, s, "symbol")? as usize;
                let Some(rest) = strings.get(name_off..) else {
                    continue;
                };
                let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
                if &rest[..end] == name.as_bytes() {
                    return Ok(Some(u64_at(b, s + 8, "symbol")?));
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_files_that_are_not_elf() {
        assert_eq!(Elf::parse(b"hello world").err(), Some(ElfError::ParseNotElf));
        assert_eq!(Elf::parse(b"").err(), Some(ElfError::ParseNotElf));
    }

    #[test]
    fn rejects_32_bit_and_foreign_elf() {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 1;
        h[5] = 1;
        assert_eq!(Elf::parse(&h).err(), Some(ElfError::ParseNotElf64Le));
        h[4] = 2;
        h[18] = 62; // x86-64
        assert_eq!(Elf::parse(&h).err(), Some(ElfError::ParseNotRiscv(62)));
    }

    #[test]
    fn truncated_program_headers_are_an_error_not_a_panic() {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        h[18] = 243;
        h[32] = 0xff; // phoff far beyond the file
        h[56] = 3; // phnum
        assert_eq!(
            Elf::parse(&h).err(),
            Some(ElfError::ParseOutOfBounds("program header"))
        );
    }
}
