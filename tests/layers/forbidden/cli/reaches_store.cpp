// A CLI file reaching past core into the store: check-layers must refuse it.
#include "store/store.hpp"
