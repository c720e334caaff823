//! Executable memory for translated blocks: one anonymous read-write-execute mapping per
//! hart, filled front to back and emptied all at once. Writable and executable together
//! because blocks are added while others are live, and changing protections per block would
//! cost a system call and a TLB shootdown across the replicas' threads each time.

use super::NativeFn;

/// Bytes of code one hart may hold before its translations are dropped and redone.
const CODE_BYTES: usize = 128 << 20;

pub(crate) struct CodeBuf {
    base: *mut u8,
    used: usize,
}

// SAFETY: the mapping is owned by this value alone; moving it to another thread moves that
// ownership with it.
unsafe impl Send for CodeBuf {}
// SAFETY: through `&CodeBuf` the mapping is only read (`entry`); writing it takes `&mut`.
unsafe impl Sync for CodeBuf {}

impl CodeBuf {
    /// A new, empty buffer; `None` if the host refuses executable memory.
    pub fn new() -> Option<CodeBuf> {
        // SAFETY: a fresh anonymous mapping; no existing memory is affected.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                CODE_BYTES,
                libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        (base != libc::MAP_FAILED).then_some(CodeBuf {
            base: base.cast(),
            used: 0,
        })
    }

    /// Copies `code` in; its offset, or `None` when the buffer is full.
    pub fn push(&mut self, code: &[u8]) -> Option<u32> {
        // Entries 16-byte aligned, as compilers align functions.
        let at = self.used.next_multiple_of(16);
        if at + code.len() > CODE_BYTES {
            return None;
        }
        // SAFETY: `[at, at + len)` is inside the mapping, past every byte handed out so far,
        // so no translated code that may still run is overwritten.
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), self.base.add(at), code.len()) };
        self.used = at + code.len();
        Some(at as u32)
    }

    /// The function at `off`, as returned by [`CodeBuf::push`] since the last `clear`.
    pub fn entry(&self, off: u32) -> NativeFn {
        // SAFETY: `off` is the start of a complete function copied in by `push` (the caller's
        // contract), inside the executable mapping.
        unsafe { std::mem::transmute::<*mut u8, NativeFn>(self.base.add(off as usize)) }
    }

    /// The first byte of the buffer; translations are at offsets from it.
    pub fn base(&self) -> *const u8 {
        self.base
    }

    /// Forgets every translation; offsets handed out before are no longer valid.
    pub fn clear(&mut self) {
        self.used = 0;
    }
}

impl Drop for CodeBuf {
    fn drop(&mut self) {
        // SAFETY: `base` is the mapping made in `new`, of `CODE_BYTES`, unmapped only here.
        unsafe { libc::munmap(self.base.cast(), CODE_BYTES) };
    }
}
