// The sparse-row kernels of EnergyCore's `SparseRows`, in C because Swift compiles for the baseline
// x86-64 (SSE2, no FMA) and has no per-function target attribute: this file carries AVX-512 and
// AVX2/FMA kernels chosen at run time, and portable ones that compute the same sums (without fusing).
//
// The product runs over column tiles of 64 (then 8, then 1; AVX-512: 128, the last one masked), with
// rows in chunks and the matrix in blocks of `depth` rows (AVX-512: as many as fill 24 KB of tile),
// so that a tile of a block stays in the L1 cache across the rows; inside a row the tile's sums stay
// in registers, up to eight independent vectors, over the row's nonzeros. Each element is summed in
// increasing position k, one fused multiply-add at a time, from β x: the AVX-512 and AVX2 kernels
// give the same results bit for bit.
#include "CSparseKernels.h"
#include "LogisticKernels.h"

enum { chunk = 128, depth = 96 };

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma,bmi,popcnt")))

/// One tile of `nv` vectors of 8 columns at c0, for rows r0..<r1 (cursors per row).
static inline __attribute__((always_inline)) AVX2 void tile_avx2(const int nv, long r0, long r1, const long *counts, long stride,
        const int32_t *indices, const float *values, const float *matrix, long ld, long c0, float beta, float *x, long ldx) {
    long cursor[chunk];
    const __m256 b = _mm256_set1_ps(beta);
    for (long r = r0; r < r1; r++) {
        cursor[r - r0] = 0;
        if (beta != 1.0f) {
            float *xr = x + r * ldx + c0;
            for (int j = 0; j < nv; j++) _mm256_storeu_ps(xr + 8 * j, _mm256_mul_ps(_mm256_loadu_ps(xr + 8 * j), b));
        }
    }
    for (long k1 = depth; ; k1 += depth) {
        int more = 0;
        for (long r = r0; r < r1; r++) {
            const int32_t *idx = indices + r * stride;
            const float *val = values + r * stride;
            const long n = counts[r];
            long k = cursor[r - r0];
            if (k >= n) continue;
            more = 1;
            if (idx[k] >= k1) continue;
            float *xr = x + r * ldx + c0;
            __m256 a[8];
            for (int j = 0; j < nv; j++) a[j] = _mm256_loadu_ps(xr + 8 * j);
            for (; k < n && idx[k] < k1; k++) {
                const float *m = matrix + (long)idx[k] * ld + c0;
                const __m256 y = _mm256_broadcast_ss(val + k);
                for (int j = 0; j < nv; j++) a[j] = _mm256_fmadd_ps(y, _mm256_loadu_ps(m + 8 * j), a[j]);
            }
            cursor[r - r0] = k;
            for (int j = 0; j < nv; j++) _mm256_storeu_ps(xr + 8 * j, a[j]);
        }
        if (!more) break;
    }
}

AVX2 static void multiply_avx2(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                               const float *matrix, long ld, long columns, float beta, float *x, long ldx) {
    for (long r0 = 0; r0 < rows; r0 += chunk) {
        const long r1 = rows - r0 < chunk ? rows : r0 + chunk;
        long c0 = 0;
        for (; c0 + 64 <= columns; c0 += 64) tile_avx2(8, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx);
        for (; c0 + 8 <= columns; c0 += 8) tile_avx2(1, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx);
        for (; c0 < columns; c0++) {
            for (long r = r0; r < r1; r++) {
                float *xr = x + r * ldx + c0;
                float a = beta != 1.0f ? *xr * beta : *xr;
                const int32_t *idx = indices + r * stride;
                const float *val = values + r * stride;
                for (long k = 0; k < counts[r]; k++) a = __builtin_fmaf(val[k], matrix[(long)idx[k] * ld + c0], a);
                *xr = a;
            }
        }
    }
}


#define AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi,popcnt")))

/// One tile of `nv` vectors of 16 columns at c0 (the last one masked by `last`), for rows r0..<r1:
/// the AVX2 tile's sums, 16 lanes at a time. The same fused multiply-adds in the same order, so the
/// same results bit for bit.
static inline __attribute__((always_inline)) AVX512 void tile_avx512(const int nv, __mmask16 last, long r0, long r1, const long *counts,
        long stride, const int32_t *indices, const float *values, const float *matrix, long ld, long c0, float beta, float *x, long ldx,
        long deep) {
    long cursor[chunk];
    const __m512 b = _mm512_set1_ps(beta);
    for (long r = r0; r < r1; r++) {
        cursor[r - r0] = 0;
        if (beta != 1.0f) {
            float *xr = x + r * ldx + c0;
            for (int j = 0; j < nv - 1; j++) _mm512_storeu_ps(xr + 16 * j, _mm512_mul_ps(_mm512_loadu_ps(xr + 16 * j), b));
            const int j = nv - 1;
            _mm512_mask_storeu_ps(xr + 16 * j, last, _mm512_mul_ps(_mm512_maskz_loadu_ps(last, xr + 16 * j), b));
        }
    }
    for (long k1 = deep; ; k1 += deep) {
        int more = 0;
        for (long r = r0; r < r1; r++) {
            const int32_t *idx = indices + r * stride;
            const float *val = values + r * stride;
            const long n = counts[r];
            long k = cursor[r - r0];
            if (k >= n) continue;
            more = 1;
            if (idx[k] >= k1) continue;
            float *xr = x + r * ldx + c0;
            __m512 a[8];
            for (int j = 0; j < nv - 1; j++) a[j] = _mm512_loadu_ps(xr + 16 * j);
            a[nv - 1] = _mm512_maskz_loadu_ps(last, xr + 16 * (nv - 1));
            for (; k < n && idx[k] < k1; k++) {
                const float *m = matrix + (long)idx[k] * ld + c0;
                const __m512 y = _mm512_set1_ps(val[k]);
                for (int j = 0; j < nv - 1; j++) a[j] = _mm512_fmadd_ps(y, _mm512_loadu_ps(m + 16 * j), a[j]);
                a[nv - 1] = _mm512_fmadd_ps(y, _mm512_maskz_loadu_ps(last, m + 16 * (nv - 1)), a[nv - 1]);
            }
            cursor[r - r0] = k;
            for (int j = 0; j < nv - 1; j++) _mm512_storeu_ps(xr + 16 * j, a[j]);
            _mm512_mask_storeu_ps(xr + 16 * (nv - 1), last, a[nv - 1]);
        }
        if (!more) break;
    }
}

AVX512 static void multiply_avx512(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                                   const float *matrix, long ld, long columns, float beta, float *x, long ldx) {
    for (long r0 = 0; r0 < rows; r0 += chunk) {
        const long r1 = rows - r0 < chunk ? rows : r0 + chunk;
        for (long c0 = 0; c0 < columns; c0 += 128) {
            const long w = columns - c0 < 128 ? columns - c0 : 128;
            const int nv = (int)((w + 15) / 16);
            const long tail = w - 16 * (nv - 1);
            const __mmask16 last = (__mmask16)(tail == 16 ? 0xffff : (1u << tail) - 1);
            // Blocks of W rows whose tile (`nv` vectors wide) fills about 24 KB of the L1 cache.
            const long deep = 384 / nv;
            switch (nv) {
            case 8: tile_avx512(8, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            case 7: tile_avx512(7, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            case 6: tile_avx512(6, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            case 5: tile_avx512(5, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            case 4: tile_avx512(4, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            case 3: tile_avx512(3, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            case 2: tile_avx512(2, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            default: tile_avx512(1, last, r0, r1, counts, stride, indices, values, matrix, ld, c0, beta, x, ldx, deep); break;
            }
        }
    }
}


AVX2 static long compress_avx2(const float *row, long count, long step, long offset, float scale, int32_t *indices, float *values) {
    long n = 0, i = 0;
    const __m256 zero = _mm256_setzero_ps();
    for (; i + 8 <= count; i += 8) {
        unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(row + i), zero, _CMP_NEQ_UQ));
        while (mask) {
            const int j = __builtin_ctz(mask);
            indices[n * step] = (int32_t)(offset + i + j);
            values[n * step] = scale * row[i + j];
            n++;
            mask &= mask - 1;
        }
    }
    return n + ebm_sparse_compress_portable(row + i, count - i, step, offset + i, scale, indices + n * step, values + n * step);
}

/// `compress_avx2` for contiguous output (step 1), 16 entries at a time with the AVX-512 compress
/// instructions: the same positions and products scale · value. Each store writes 16 lanes from
/// position n ≤ i, so it stays within the `count` elements of room.
AVX512 static long compress_avx512(const float *row, long count, long offset, float scale, int32_t *indices, float *values) {
    long n = 0, i = 0;
    const __m512 zero = _mm512_setzero_ps(), s = _mm512_set1_ps(scale);
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (; i + 16 <= count; i += 16) {
        const __m512 v = _mm512_loadu_ps(row + i);
        const __mmask16 m = _mm512_cmp_ps_mask(v, zero, _CMP_NEQ_UQ);
        if (!m) continue;
        const __m512i position = _mm512_add_epi32(lanes, _mm512_set1_epi32((int)(offset + i)));
        _mm512_storeu_si512(indices + n, _mm512_maskz_compress_epi32(m, position));
        _mm512_storeu_ps(values + n, _mm512_maskz_compress_ps(m, _mm512_mul_ps(s, v)));
        n += __builtin_popcount((unsigned)m);
    }
    return n + ebm_sparse_compress_portable(row + i, count - i, 1, offset + i, scale, indices + n, values + n);
}

AVX2 static void gather_avx2(const float *y, long rows, long ldy, long i0, long i1, float scale, long *counts,
                             int32_t *indices, float *values, long stride) {
    const __m256 zero = _mm256_setzero_ps();
    for (long r = 0; r < rows; r++) {
        const float *row = y + r * ldy;
        long i = i0;
        for (; i + 8 <= i1; i += 8) {
            unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(row + i), zero, _CMP_NEQ_UQ));
            while (mask) {
                const long u = i + __builtin_ctz(mask) - i0;
                const long k = counts[u]++;
                indices[u * stride + k] = (int32_t)r;
                values[u * stride + k] = scale * row[u + i0];
                mask &= mask - 1;
            }
        }
        for (; i < i1; i++) {
            if (row[i] != 0) {
                const long u = i - i0, k = counts[u]++;
                indices[u * stride + k] = (int32_t)r;
                values[u * stride + k] = scale * row[i];
            }
        }
    }
}

AVX2 static long count_avx2(const float *y, long count) {
    long n = 0, i = 0;
    const __m256 zero = _mm256_setzero_ps();
    for (; i + 8 <= count; i += 8)
        n += __builtin_popcount((unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(y + i), zero, _CMP_NEQ_UQ)));
    return n + ebm_sparse_count_nonzeros_portable(y + i, count - i);
}
#endif

/// AVX2 and FMA (the logistic kernels' test), and the bit instructions the compress loops use.
static int vectorised(void) {
#if defined(__x86_64__)
    return ebm_logistic_vectorised() && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
#else
    return 0;
#endif
}

static int avx512(void) {
#if defined(__x86_64__)
    return vectorised() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
#else
    return 0;
#endif
}

int ebm_sparse_rows_vectorised(void) { return vectorised(); }

int ebm_sparse_rows_avx512(void) { return avx512(); }

void ebm_sparse_rows_multiply_portable(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                              const float *matrix, long ld, long columns, float beta, float *x, long ldx) {
    enum { tile = 32 };
    for (long c0 = 0; c0 < columns; c0 += tile) {
        const long w = columns - c0 < tile ? columns - c0 : tile;
        for (long r = 0; r < rows; r++) {
            float *xr = x + r * ldx + c0;
            float a[tile];
            for (long c = 0; c < w; c++) a[c] = beta != 1.0f ? xr[c] * beta : xr[c];
            const int32_t *idx = indices + r * stride;
            const float *val = values + r * stride;
            for (long k = 0; k < counts[r]; k++) {
                const float *m = matrix + (long)idx[k] * ld + c0;
                const float y = val[k];
                for (long c = 0; c < w; c++) a[c] += y * m[c];
            }
            for (long c = 0; c < w; c++) xr[c] = a[c];
        }
    }
}

void ebm_sparse_rows_multiply(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                              const float *matrix, long ld, long columns, float beta, float *x, long ldx) {
#if defined(__x86_64__)
    if (avx512()) {
        multiply_avx512(rows, counts, stride, indices, values, matrix, ld, columns, beta, x, ldx);
        return;
    }
#endif
    ebm_sparse_rows_multiply_avx2(rows, counts, stride, indices, values, matrix, ld, columns, beta, x, ldx);
}

void ebm_sparse_rows_multiply_avx2(long rows, const long *counts, long stride, const int32_t *indices, const float *values,
                                   const float *matrix, long ld, long columns, float beta, float *x, long ldx) {
#if defined(__x86_64__)
    if (vectorised()) {
        multiply_avx2(rows, counts, stride, indices, values, matrix, ld, columns, beta, x, ldx);
        return;
    }
#endif
    ebm_sparse_rows_multiply_portable(rows, counts, stride, indices, values, matrix, ld, columns, beta, x, ldx);
}

long ebm_sparse_compress(const float *row, long count, long step, long offset, float scale, int32_t *indices, float *values) {
#if defined(__x86_64__)
    if (step == 1 && avx512()) return compress_avx512(row, count, offset, scale, indices, values);
    if (vectorised()) return compress_avx2(row, count, step, offset, scale, indices, values);
#endif
    return ebm_sparse_compress_portable(row, count, step, offset, scale, indices, values);
}

long ebm_sparse_compress_portable(const float *row, long count, long step, long offset, float scale, int32_t *indices, float *values) {
    long n = 0;
    for (long i = 0; i < count; i++) {
        if (row[i] != 0) { indices[n * step] = (int32_t)(offset + i); values[n * step] = scale * row[i]; n++; }
    }
    return n;
}

void ebm_sparse_gather_columns(const float *y, long rows, long ldy, long i0, long i1, float scale, long *counts,
                               int32_t *indices, float *values, long stride) {
    for (long u = 0; u < i1 - i0; u++) counts[u] = 0;
#if defined(__x86_64__)
    if (vectorised()) {
        gather_avx2(y, rows, ldy, i0, i1, scale, counts, indices, values, stride);
        return;
    }
#endif
    ebm_sparse_gather_columns_portable(y, rows, ldy, i0, i1, scale, counts, indices, values, stride);
}

void ebm_sparse_gather_columns_portable(const float *y, long rows, long ldy, long i0, long i1, float scale, long *counts,
                                        int32_t *indices, float *values, long stride) {
    for (long u = 0; u < i1 - i0; u++) counts[u] = 0;
    for (long r = 0; r < rows; r++) {
        const float *row = y + r * ldy;
        for (long i = i0; i < i1; i++) {
            if (row[i] != 0) {
                const long u = i - i0, k = counts[u]++;
                indices[u * stride + k] = (int32_t)r;
                values[u * stride + k] = scale * row[i];
            }
        }
    }
}

long ebm_sparse_count_nonzeros(const float *y, long count) {
#if defined(__x86_64__)
    if (vectorised()) return count_avx2(y, count);
#endif
    return ebm_sparse_count_nonzeros_portable(y, count);
}

long ebm_sparse_count_nonzeros_portable(const float *y, long count) {
    long n = 0;
    for (long i = 0; i < count; i++) n += y[i] != 0;
    return n;
}
