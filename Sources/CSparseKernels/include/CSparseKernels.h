// Sparse-row kernels for EnergyCore's `SparseRows` (see its documentation for the contracts).
#ifndef CSPARSEKERNELS_H
#define CSPARSEKERNELS_H

#include <stdint.h>
#include "LogisticKernels.h"

/// For each of `rows` output rows r: x[r·ldx + c] ← β x[r·ldx + c] + Σₖ values[r·stride + k] ·
/// matrix[indices[r·stride + k] · ld + c], k < counts[r], for c in 0..<columns. The indices of a
/// row must increase.
///
/// Each element is summed in increasing k from β x, one term at a time, so a row's result does not
/// depend on the other rows. On x86-64 processors with AVX2 and FMA the terms are fused
/// multiply-adds (in 512-bit vectors where AVX-512 is available, with the same results); elsewhere
/// a multiply then an add.
void ebm_sparse_rows_multiply(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                              const float *matrix, long ld, long columns, float beta, float *x, long ldx);

/// The nonzero entries of `row` (`count` elements), in increasing position: entry n goes to
/// indices[n·step] = offset + position and values[n·step] = scale · value. Returns their number.
long ebm_sparse_compress(const float *row, long count, long step, long offset, float scale, int32_t *indices, float *values);

/// The columns i0..<i1 of the `rows` × ldy row-major y as sparse rows (the transpose): for each
/// nonzero y[r, i], in increasing r, appends r to indices[(i − i0)·stride + …] and scale · y[r, i] to
/// values at the same place, counting them in counts[i − i0].
void ebm_sparse_gather_columns(const float *y, long rows, long ldy, long i0, long i1, float scale, long *counts,
                               int32_t *indices, float *values, long stride);

/// The number of nonzero entries among `count` floats (NaN counts as nonzero).
long ebm_sparse_count_nonzeros(const float *y, long count);

/// Whether the kernels use AVX2/FMA on this processor.
int ebm_sparse_rows_vectorised(void);

/// Whether `ebm_sparse_rows_multiply` uses AVX-512 (512-bit vectors, 16 lanes) on this processor.
int ebm_sparse_rows_avx512(void);

/// `ebm_sparse_rows_multiply` without AVX-512: the AVX2/FMA kernel (the portable loops without AVX2).
/// The same results bit for bit, for tests on machines that take the AVX-512 path.
void ebm_sparse_rows_multiply_avx2(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                                   const float *matrix, long ld, long columns, float beta, float *x, long ldx);

/// The portable loops behind the four kernels above, whatever the processor: the same contracts
/// (without fused multiply-adds), so that tests check them on machines that take the AVX2 path.
void ebm_sparse_rows_multiply_portable(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                                       const float *matrix, long ld, long columns, float beta, float *x, long ldx);
long ebm_sparse_compress_portable(const float *row, long count, long step, long offset, float scale, int32_t *indices, float *values);
void ebm_sparse_gather_columns_portable(const float *y, long rows, long ldy, long i0, long i1, float scale, long *counts,
                                        int32_t *indices, float *values, long stride);
long ebm_sparse_count_nonzeros_portable(const float *y, long count);

#endif
