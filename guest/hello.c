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
 *
 * Benchmark jobs (scripts/bench-linux.sh), each printing one line whose exact
 * text depends only on the arguments; the benchmark compares it with the same
 * source compiled for the host:
 *   evtest int N         N rounds of xorshift64 + LCG + multiply/rotate/branch
 *                        arithmetic (~20 instructions each, a division every 1024)
 *   evtest mem MIB FORKS qsort of MIB MiB of pseudo-random uint64 in a fresh
 *                        malloc (checked sorted, hashed), then FORKS children one
 *                        after another, each writing to 16 pages of the array
 *                        (copy-on-write) and 16 pages of a fresh mmap, exit
 *                        status from what it read; the parent hashes the statuses
 *   evtest fp N          N steps of a 5-body gravity simulation in double
 *                        precision: only + - * / and sqrt, which IEEE 754 rounds
 *                        exactly, so every host prints the same bits
 * Exit status 0, or 1 when a job's own check fails, 2 on bad arguments.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* ---- benchmark jobs ---------------------------------------------------- */

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

/* Hash step (FNV-1a over a 64-bit word at once, then a multiply-xorshift). */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x100000001b3ULL;
	return h ^ (h >> 31);
}

static int job_int(uint64_t n)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, lcg = 1, acc = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = xorshift64(&x);
		lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t t = (r ^ lcg) * 0xbf58476d1ce4e5b9ULL;
		acc += t >> 29;
		if (t & 1)
			acc ^= r;
		else
			acc = rotl64(acc, 7);
		if ((i & 1023) == 0)
			acc += r / ((lcg >> 40) | 1) + (uint64_t)((int64_t)t % 1000003);
	}
	printf("evtest: int n=%llu sum=0x%016llx\n", (unsigned long long)n,
	       (unsigned long long)acc);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

#define CHILD_PAGES 16
#define PAGE 4096

/* A child of the mem job: write to pages of the parent's array and of a
 * fresh mapping; the exit status is what it read back. */
static void mem_child(uint64_t *a, size_t n, unsigned k)
{
	size_t per_page = PAGE / sizeof *a;
	uint64_t s = k;
	for (unsigned p = 0; p < CHILD_PAGES; p++) {
		size_t i = ((size_t)(k * CHILD_PAGES + p) * 7919 * per_page) % n;
		a[i] += k;
		s = mix(s, a[i]);
	}
	unsigned char *m = mmap(NULL, CHILD_PAGES * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		_exit(255);
	for (unsigned p = 0; p < CHILD_PAGES; p++)
		m[p * PAGE + (k % PAGE)] = (unsigned char)(s >> (p % 8 * 8));
	for (unsigned p = 0; p < CHILD_PAGES; p++)
		s = mix(s, m[p * PAGE + (k % PAGE)]);
	_exit((int)(s % 251));
}

static int job_mem(uint64_t mib, uint64_t forks)
{
	size_t n = (size_t)mib * (1024 * 1024 / sizeof(uint64_t));
	uint64_t *a = malloc(n * sizeof *a);
	if (!a) {
		printf("evtest: mem: malloc of %llu MiB failed\n", (unsigned long long)mib);
		return 1;
	}
	uint64_t x = 0x2545f4914f6cdd1dULL;
	for (size_t i = 0; i < n; i++)
		a[i] = xorshift64(&x);
	qsort(a, n, sizeof *a, cmp_u64);
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && a[i - 1] > a[i]) {
			printf("evtest: mem: MISMATCH not sorted at %zu\n", i);
			return 1;
		}
		h = mix(h, a[i]);
	}

	uint64_t kids = 0;
	fflush(stdout); /* nothing buffered twice */
	for (uint64_t k = 0; k < forks; k++) {
		pid_t pid = fork();
		if (pid < 0) {
			printf("evtest: mem: fork %llu failed: %s\n", (unsigned long long)k,
			       strerror(errno));
			return 1;
		}
		if (pid == 0)
			mem_child(a, n, (unsigned)k);
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) == 255) {
			printf("evtest: mem: child %llu failed (status 0x%x)\n",
			       (unsigned long long)k, status);
			return 1;
		}
		kids = mix(kids, (uint64_t)WEXITSTATUS(status));
	}
	free(a);
	printf("evtest: mem mib=%llu forks=%llu sorted=0x%016llx children=0x%016llx\n",
	       (unsigned long long)mib, (unsigned long long)forks,
	       (unsigned long long)h, (unsigned long long)kids);
	return 0;
}

struct body {
	double x, y, z, vx, vy, vz, mass;
};

#define SOLAR_MASS (4 * M_PI * M_PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5

static double energy(const struct body *b)
{
	double e = 0.0;
	for (int i = 0; i < NBODIES; i++) {
		e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
		for (int j = i + 1; j < NBODIES; j++) {
			double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
			e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

static uint64_t bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static int job_fp(uint64_t n)
{
	/* The sun and the four giant planets (the Computer Language Benchmarks
	 * Game's n-body start). Positions in AU, velocities in AU/day. */
	struct body b[NBODIES] = {
		{ 0, 0, 0, 0, 0, 0, SOLAR_MASS },
		{ 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
		  1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
		  -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
		{ 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
		  -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
		  2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
		{ 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
		  2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
		  -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
		{ 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
		  2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
		  -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
	};
	double px = 0, py = 0, pz = 0;
	for (int i = 0; i < NBODIES; i++) {
		px += b[i].vx * b[i].mass;
		py += b[i].vy * b[i].mass;
		pz += b[i].vz * b[i].mass;
	}
	b[0].vx = -px / SOLAR_MASS;
	b[0].vy = -py / SOLAR_MASS;
	b[0].vz = -pz / SOLAR_MASS;

	const double dt = 0.01;
	double e0 = energy(b);
	for (uint64_t s = 0; s < n; s++) {
		for (int i = 0; i < NBODIES; i++) {
			for (int j = i + 1; j < NBODIES; j++) {
				double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
				double d2 = dx * dx + dy * dy + dz * dz;
				double mag = dt / (d2 * sqrt(d2));
				double mi = b[i].mass * mag, mj = b[j].mass * mag;
				b[i].vx -= dx * mj;
				b[i].vy -= dy * mj;
				b[i].vz -= dz * mj;
				b[j].vx += dx * mi;
				b[j].vy += dy * mi;
				b[j].vz += dz * mi;
			}
		}
		for (int i = 0; i < NBODIES; i++) {
			b[i].x += dt * b[i].vx;
			b[i].y += dt * b[i].vy;
			b[i].z += dt * b[i].vz;
		}
	}
	double e1 = energy(b);
	uint64_t h = 0;
	for (int i = 0; i < NBODIES; i++)
		h = mix(mix(mix(h, bits(b[i].x)), bits(b[i].y)), bits(b[i].z));
	/* The system stays bound and its energy drifts little (1e-4 in 1.5M steps). */
	int ok = e1 < 0 && fabs(e1 - e0) < 1e-3 * -e0;
	printf("evtest: fp n=%llu e0=%.17g e1=%.17g pos=0x%016llx%s\n",
	       (unsigned long long)n, e0, e1, (unsigned long long)h,
	       ok ? "" : " MISMATCH energy not conserved");
	return ok ? 0 : 1;
}

/* A job argument: a decimal number >= 1. */
static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')
		return 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v == 0)
		return 0;
	*out = v;
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: evtest [instret | int N | mem MIB FORKS | fp N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "instret") == 0) {
		print_counters();
		return 0;
	}
	if (argc > 1) {
		uint64_t a = 0, b = 0;
		if (strcmp(argv[1], "int") == 0 && argc == 3 && parse_count(argv[2], &a))
			return job_int(a);
		if (strcmp(argv[1], "mem") == 0 && argc == 4 && parse_count(argv[2], &a) &&
		    parse_count(argv[3], &b) && a <= 1024)
			return job_mem(a, b);
		if (strcmp(argv[1], "fp") == 0 && argc == 3 && parse_count(argv[2], &a))
			return job_fp(a);
		return usage();
	}
	printf("evtest: hello from a static C program\n");
	int_tests();
	fp_tests();
	printf(failures ? "evtest: FAILED\n" : "evtest: OK\n");
	return failures ? 1 : 0;
}
