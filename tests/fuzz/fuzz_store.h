/*
 * fuzz_store.h - the layout of a fuzz_store input, shared with the corpus
 * generator: one flag byte (FUZZ_STORE_* bits), then the bytes of an
 * events.log (docs/STORE.md).
 */
#ifndef GRITE_FUZZ_STORE_H
#define GRITE_FUZZ_STORE_H

/* Rewrite the header's and every record's CRC32 to match before use. */
#define FUZZ_STORE_FIX_CRC 1u

#endif
