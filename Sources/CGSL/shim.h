#ifndef ENERGYMODELS_CGSL_SHIM_H
#define ENERGYMODELS_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_siman.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
// The standard CBLAS declarations (as GSL ships them); the symbols resolve to OpenBLAS,
// which the module map links before GSL.
#include <gsl/gsl_cblas.h>

// OpenBLAS extensions, declared here so the header does not depend on which
// cblas.h alternative the system has selected.
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_corename(void);
extern char *openblas_get_config(void);

// Swift 6 rejects direct use of mutable C globals, so GSL's generator types are
// reached through these accessors.
static inline const gsl_rng_type *ebm_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *ebm_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *ebm_rng_ranlxs2(void) { return gsl_rng_ranlxs2; }
static inline const gsl_rng_type *ebm_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *ebm_rng_ranlux389(void) { return gsl_rng_ranlux389; }
static inline const gsl_rng_type *ebm_rng_gfsr4(void) { return gsl_rng_gfsr4; }

/// GSL's Nelder–Mead simplex minimiser, version 2 (a mutable C global, hence the accessor).
static inline const gsl_multimin_fminimizer_type *ebm_multimin_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }

/// GSL's version string (a mutable C global, hence the accessor).
static inline const char *ebm_gsl_version(void) { return gsl_version; }

/// All generator types GSL knows, as a NULL-terminated array (gsl_rng_types_setup).
static inline const gsl_rng_type **ebm_rng_all_types(void) { return gsl_rng_types_setup(); }

/// The generator type of a name (e.g. "mt19937"), or NULL when GSL has none by that name.
static inline const gsl_rng_type *ebm_rng_type_named(const char *name) {
    const gsl_rng_type **t = gsl_rng_types_setup();
    for (; *t != NULL; ++t) {
        const char *a = (*t)->name, *b = name;
        while (*a && *a == *b) { ++a; ++b; }
        if (*a == 0 && *b == 0) return *t;
    }
    return NULL;
}

#endif
