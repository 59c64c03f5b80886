#ifndef ENERGYMODELS_CPNG_SHIM_H
#define ENERGYMODELS_CPNG_SHIM_H
#include <png.h>
#include <zlib.h>

// PNG_IMAGE_VERSION is a macro Swift cannot import as a constant expression everywhere.
static inline unsigned int ebm_png_image_version(void) { return PNG_IMAGE_VERSION; }
#endif
