// The elementwise kernels of LogisticKernels.h: the logistic sigmoid, and Bernoulli sampling from
// 32 random bits per unit. AVX2/FMA kernels chosen at run time, and portable loops that compute the
// same formulas (without fusing the multiply-adds).
//
// exp(t) for t = −|x| ≤ 0 is Cephes' expf (S. L. Moshier): n = round(t / ln 2), r = t − n ln 2 in
// two parts (Cody–Waite), e^r = 1 + r + r² P(r) with P of degree 5, then times 2ⁿ; below
// t = −87.3 (where e^t is subnormal) the result is 0, so σ(x) is then exactly 0 or 1.
#include "LogisticKernels.h"
#include <math.h>

#define LOG2E 1.44269504088896341f
#define LN2_HI 0.693359375f
#define LN2_LO -2.12194440e-4f
#define EXP_MIN -87.33654f
#define P0 1.9875691500e-4f
#define P1 1.3981999507e-3f
#define P2 8.3334519073e-3f
#define P3 4.1665795894e-2f
#define P4 1.6666665459e-1f
#define P5 5.0000001201e-1f
#define TWO_M32 2.3283064365386963e-10f /* 2^-32 */

/// e^t for t ≤ 0, the portable way.
static inline float exp_nonpositive(float t) {
    if (!(t >= EXP_MIN)) return t < EXP_MIN ? 0.0f : t; // NaN stays NaN
    const float n = nearbyintf(t * LOG2E);
    float r = t - n * LN2_HI;
    r = r - n * LN2_LO;
    float p = P0;
    p = p * r + P1;
    p = p * r + P2;
    p = p * r + P3;
    p = p * r + P4;
    p = p * r + P5;
    const float e = (p * (r * r) + r) + 1.0f;
    return ldexpf(e, (int)n);
}

static inline float logistic_portable(float x) {
    const float e = exp_nonpositive(-fabsf(x));
    return (x >= 0 ? 1.0f : e) / (1.0f + e);
}

/// bits / 2³², rounded to float (the conversion of a 32-bit integer rounds once, to nearest).
static inline float uniform_portable(uint32_t bits) { return (float)bits * TWO_M32; }

void ebm_logistic_portable(float *x, long n) {
    for (long i = 0; i < n; i++) x[i] = logistic_portable(x[i]);
}

void ebm_logistic_bernoulli_portable(float *x, const uint32_t *bits, long n) {
    for (long i = 0; i < n; i++) x[i] = uniform_portable(bits[i]) < logistic_portable(x[i]) ? 1.0f : 0.0f;
}

void ebm_bernoulli_portable(float *p, const uint32_t *bits, long n) {
    for (long i = 0; i < n; i++) p[i] = uniform_portable(bits[i]) < p[i] ? 1.0f : 0.0f;
}

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))

static inline __attribute__((always_inline)) AVX2 __m256 logistic8(__m256 x) {
    const __m256 sign = _mm256_set1_ps(-0.0f), one = _mm256_set1_ps(1.0f);
    const __m256 t = _mm256_or_ps(x, sign);                       // −|x|
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(t, _mm256_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HI), t);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LO), r);
    __m256 p = _mm256_set1_ps(P0);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(P5));
    __m256 e = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), one);
    // × 2ⁿ through the exponent bits; n ≥ −126 wherever t ≥ EXP_MIN, and below it e is set to 0
    // (a NaN stays NaN, so that σ(NaN) is NaN).
    const __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    e = _mm256_mul_ps(e, _mm256_castsi256_ps(scale));
    e = _mm256_andnot_ps(_mm256_cmp_ps(t, _mm256_set1_ps(EXP_MIN), _CMP_LT_OQ), e);
    const __m256 numerator = _mm256_blendv_ps(e, one, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ));
    return _mm256_div_ps(numerator, _mm256_add_ps(one, e));
}

/// bits / 2³² rounded to float: the high and low 16 bits convert exactly, and their sum rounds once.
static inline __attribute__((always_inline)) AVX2 __m256 uniform8(const uint32_t *bits) {
    const __m256i b = _mm256_loadu_si256((const __m256i *)bits);
    const __m256 hi = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(b, 16)), _mm256_set1_ps(65536.0f));
    const __m256 lo = _mm256_cvtepi32_ps(_mm256_and_si256(b, _mm256_set1_epi32(0xffff)));
    return _mm256_mul_ps(_mm256_add_ps(hi, lo), _mm256_set1_ps(TWO_M32));
}

static inline __attribute__((always_inline)) AVX2 __m256 bernoulli8(__m256 u, __m256 p) {
    return _mm256_and_ps(_mm256_cmp_ps(u, p, _CMP_LT_OQ), _mm256_set1_ps(1.0f));
}

/// The scalar tail of the AVX2 kernels: one lane of the vector formulas.
static inline AVX2 float logistic1(float x) {
    float lanes[8];
    _mm256_storeu_ps(lanes, logistic8(_mm256_set1_ps(x)));
    return lanes[0];
}

AVX2 static void logistic_avx2(float *x, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, logistic8(_mm256_loadu_ps(x + i)));
    for (; i < n; i++) x[i] = logistic1(x[i]);
}

AVX2 static void logistic_bernoulli_avx2(float *x, const uint32_t *bits, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, bernoulli8(uniform8(bits + i), logistic8(_mm256_loadu_ps(x + i))));
    for (; i < n; i++) x[i] = uniform_portable(bits[i]) < logistic1(x[i]) ? 1.0f : 0.0f;
}

AVX2 static void bernoulli_avx2(float *p, const uint32_t *bits, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(p + i, bernoulli8(uniform8(bits + i), _mm256_loadu_ps(p + i)));
    ebm_bernoulli_portable(p + i, bits + i, n - i);
}
#endif

int ebm_logistic_vectorised(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

void ebm_logistic(float *x, long n) {
#if defined(__x86_64__)
    if (ebm_logistic_vectorised()) { logistic_avx2(x, n); return; }
#endif
    ebm_logistic_portable(x, n);
}

void ebm_logistic_bernoulli(float *x, const uint32_t *bits, long n) {
#if defined(__x86_64__)
    if (ebm_logistic_vectorised()) { logistic_bernoulli_avx2(x, bits, n); return; }
#endif
    ebm_logistic_bernoulli_portable(x, bits, n);
}

void ebm_bernoulli(float *p, const uint32_t *bits, long n) {
#if defined(__x86_64__)
    if (ebm_logistic_vectorised()) { bernoulli_avx2(p, bits, n); return; }
#endif
    ebm_bernoulli_portable(p, bits, n);
}
