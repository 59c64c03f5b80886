// The logistic sigmoid and Bernoulli sampling of EnergyCore (`applyLogistic`, `RandomSource.sampleBernoulli`,
// `RandomSource.sampleLogistic`), vectorised: elementwise passes over the units of a batch.
#ifndef LOGISTICKERNELS_H
#define LOGISTICKERNELS_H

#include <stdint.h>

/// x[i] ← σ(x[i]) = 1 / (1 + e^(−x[i])) for i < n, as e = exp(−|x|), σ = (x ≥ 0 ? 1 : e) / (1 + e),
/// which never overflows. exp is a polynomial (Cephes' expf: Cody–Waite reduction by ln 2, degree-5
/// minimax polynomial, within 2 ulp of exp). On x86-64 processors with AVX2 and FMA (checked at run
/// time) eight lanes at a time with fused multiply-adds; elsewhere the same operations unfused.
void ebm_logistic(float *x, long n);

/// x[i] ← 1 if u_i < σ(x[i]) else 0, with u_i = bits[i] / 2³² rounded to float and σ as in
/// `ebm_logistic`: a Bernoulli sample of a logistic unit from its pre-activation, in one pass.
void ebm_logistic_bernoulli(float *x, const uint32_t *bits, long n);

/// p[i] ← 1 if u_i < p[i] else 0, with u_i = bits[i] / 2³² rounded to float: Bernoulli samples of
/// the probabilities p, in place.
void ebm_bernoulli(float *p, const uint32_t *bits, long n);

/// Whether the kernels above use AVX2 and FMA on this processor.
int ebm_logistic_vectorised(void);

/// The portable loops behind the kernels above, whatever the processor (for tests).
void ebm_logistic_portable(float *x, long n);
void ebm_logistic_bernoulli_portable(float *x, const uint32_t *bits, long n);
void ebm_bernoulli_portable(float *p, const uint32_t *bits, long n);

#endif
