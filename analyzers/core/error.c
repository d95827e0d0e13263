/* The error domain (error.h). */
#include "core/error.h"

G_DEFINE_QUARK(kensa-error-quark, ks_error)
