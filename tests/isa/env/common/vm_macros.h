/*
 * extravirt ISA suite: page-table helpers for the p-environment VM tests.
 *
 * VM_DATA lays out (in .data, 4 KiB aligned) the tables and test pages:
 *   pt_root, pt_l1, pt_l0, pt_l2   page tables (zero-filled)
 *   vm_page0 .. vm_page3           4 KiB data pages
 * VM_SETUP_SV39(flags): root[2] = 1 GiB identity page for 0x80000000
 *   (code and data) with `flags` | V|A|D, root[0] -> pt_l1, pt_l1[0] -> pt_l0,
 *   so VA (i << 12) for i < 512 is pt_l0[i]; then satp = Sv39 and sfence.
 * VM_MAP_L0(i, page, flags): pt_l0[i] = PTE(page, flags)   (VA = i * 4096)
 * Clobbers t0-t2.
 */
#ifndef ISA_VM_MACROS_H
#define ISA_VM_MACROS_H

#define VM_DATA \
  .balign 4096; \
pt_root: .skip 4096; pt_l1: .skip 4096; pt_l0: .skip 4096; pt_l2: .skip 4096; \
vm_page0: .skip 4096; vm_page1: .skip 4096; vm_page2: .skip 4096; vm_page3: .skip 4096

/* table[index] = PTE(pa_reg, flags) */
#define PT_SET(table, index, pa_reg, flags) \
  MAKE_PTE(t2, pa_reg, flags); la t1, table; li t0, (index) * 8; add t1, t1, t0; sd t2, 0(t1)
/* table[index] = raw value in register */
#define PT_SET_RAW(table, index, reg) \
  la t1, table; li t0, (index) * 8; add t1, t1, t0; sd reg, 0(t1)

#define VM_SETUP_SV39(flags) \
  li t0, DRAM_BASE; MAKE_PTE(t2, t0, (flags) | PTE_V | PTE_A | PTE_D); PT_SET_RAW(pt_root, 2, t2); \
  la t0, pt_l1; PT_SET(pt_root, 0, t0, PTE_V); \
  la t0, pt_l0; PT_SET(pt_l1, 0, t0, PTE_V); \
  la t0, pt_root; MAKE_SATP(t0, t0, SATP_MODE_SV39); csrw satp, t0; sfence.vma

#define VM_MAP_L0(index, page, flags) \
  la t0, page; PT_SET(pt_l0, index, t0, flags); sfence.vma

/* address of a label translated to a VA in page `index` (same page offset) */
#define VA_OF(rd, index, label, page) la rd, label; la t0, page; sub rd, rd, t0; li t0, (index) << 12; add rd, rd, t0

#define PTE_RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define PTE_RW_AD  (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PTE_R_A    (PTE_V | PTE_R | PTE_A)

#endif
