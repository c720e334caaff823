/*
 * evtest: a tiny static C program for the extravirt guest (/bin/evtest).
 *
 * It proves that a compiled (not busybox) RV64GC lp64d program runs: it
 * prints fixed lines whose exact text tests can compare, computes integer
 * and floating-point results at run time (volatile inputs keep the compiler
 * from folding them), checks them itself and exits 0 only when all match.
 *
 * Expected output (exit status 0):
 *   evtest: hello from a static C program
 *   evtest: int primes<10000=1229 sum=5736396 fib90=2880067194370816120 mul=0x9be02468aceebea7 div=-4796 rem=-1
 *   evtest: fp pi=3.14159265358979 sqrt2=1.41421356237310 e=2.71828182845905 h=9.78760603604435 f=1.7320508
 *   evtest: OK
 *
 * Built with -ffp-contract=off so no fused multiply-add changes the rounding:
 * the same source compiled for x86-64 prints exactly the same lines.
 *
 * `evtest instret` additionally prints the instret/cycle/time CSRs as seen
 * from user mode (useful with `qemu -icount`), when the kernel allows it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int n_limit = 10000;
static volatile int64_t dividend = -43165, divisor = 9;
static volatile int fib_n = 90;
static volatile double two = 2.0, one = 1.0;
static volatile float three_f = 3.0f;

static int failures;

static void expect_u64(const char *what, uint64_t got, uint64_t want)
{
	if (got != want) {
		printf("evtest: MISMATCH %s got %llu want %llu\n", what,
		       (unsigned long long)got, (unsigned long long)want);
		failures++;
	}
}

static void expect_fp(const char *what, double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol)) {
		printf("evtest: MISMATCH %s got %.17g want %.17g\n", what, got, want);
		failures++;
	}
}

static void int_tests(void)
{
	/* Sieve on the heap: exercises malloc, byte stores, branches. */
	int n = n_limit;
	char *composite = calloc((size_t)n, 1);
	int count = 0;
	int64_t sum = 0;
	for (int i = 2; i < n; i++) {
		if (composite[i])
			continue;
		count++;
		sum += i;
		for (int j = i * 2; j < n; j += i)
			composite[j] = 1;
	}
	free(composite);

	uint64_t a = 0, b = 1;
	for (int i = 0; i < fib_n; i++) {
		uint64_t t = a + b;
		a = b;
		b = t;
	}

	/* 64-bit multiply (M extension, low half) with wraparound. */
	uint64_t mul = 0x123456789abcdef1ULL * (uint64_t)(n_limit + 7);
	int64_t q = dividend / divisor, r = dividend % divisor;

	printf("evtest: int primes<%d=%d sum=%lld fib%d=%llu mul=0x%016llx div=%lld rem=%lld\n",
	       n, count, (long long)sum, (int)fib_n, (unsigned long long)a,
	       (unsigned long long)mul, (long long)q, (long long)r);
	expect_u64("prime count", (uint64_t)count, 1229);
	expect_u64("prime sum", (uint64_t)sum, 5736396);
	expect_u64("fib90", a, 2880067194370816120ULL);
	expect_u64("mul", mul, 0x123456789abcdef1ULL * 10007ULL);
	expect_u64("div", (uint64_t)q, (uint64_t)(int64_t)-4796);
	expect_u64("rem", (uint64_t)r, (uint64_t)(int64_t)-1);
}

static void fp_tests(void)
{
	/* pi by Machin's formula with atan series: fadd/fmul/fdiv in a loop. */
	double x1 = one / 5.0, x2 = one / 239.0;
	double at1 = 0.0, at2 = 0.0, p1 = x1, p2 = x2;
	for (int k = 0; k < 30; k++) {
		double s = (k & 1) ? -1.0 : 1.0;
		at1 += s * p1 / (2 * k + 1);
		at2 += s * p2 / (2 * k + 1);
		p1 *= x1 * x1;
		p2 *= x2 * x2;
	}
	double pi = 4.0 * (4.0 * at1 - at2);

	double sq2 = sqrt(two); /* fsqrt.d */

	/* e by its series: many divisions, int->double conversion. */
	double e = 0.0, term = 1.0;
	for (int k = 1; k < 25; k++) {
		e += term;
		term /= (double)k;
	}

	/* Harmonic number H(10000): long accumulation, rounding each step. */
	double h = 0.0;
	for (int k = 1; k <= n_limit; k++)
		h += one / (double)k;

	/* Single precision: fsqrt.s, float->double conversion. */
	float f = sqrtf(three_f);

	printf("evtest: fp pi=%.14f sqrt2=%.14f e=%.14f h=%.14f f=%.7f\n",
	       pi, sq2, e, h, (double)f);
	expect_fp("pi", pi, M_PI, 1e-15);
	expect_fp("sqrt2", sq2, M_SQRT2, 0.0);
	expect_fp("e", e, M_E, 1e-15);
	expect_fp("harmonic", h, 9.787606036044348, 1e-12);
	expect_fp("sqrtf", f, 1.7320508f, 0.0);
	expect_u64("double->int", (uint64_t)(int64_t)(pi * 1e6), 3141592);
}

static void print_counters(void)
{
	uint64_t instret = 0, cycle = 0, time = 0;
#if defined(__riscv)
	__asm__ volatile("rdinstret %0" : "=r"(instret));
	__asm__ volatile("rdcycle %0" : "=r"(cycle));
	__asm__ volatile("rdtime %0" : "=r"(time));
#endif
	printf("evtest: instret=%llu cycle=%llu time=%llu\n",
	       (unsigned long long)instret, (unsigned long long)cycle,
	       (unsigned long long)time);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "instret") == 0) {
		print_counters();
		return 0;
	}
	printf("evtest: hello from a static C program\n");
	int_tests();
	fp_tests();
	printf(failures ? "evtest: FAILED\n" : "evtest: OK\n");
	return failures ? 1 : 0;
}
