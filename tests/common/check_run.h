/*
 * check_run.h - running a Check suite from a test program's main().
 */
#ifndef GRITE_TESTS_CHECK_RUN_H
#define GRITE_TESTS_CHECK_RUN_H

#include <check.h>

/* Run every test of s and free it. Check prints at the verbosity that
 * CK_VERBOSITY asks for (normal if unset). Returns EXIT_SUCCESS when no
 * test failed, EXIT_FAILURE otherwise: what main() returns. */
int grite_check_run(Suite *s);

#endif
