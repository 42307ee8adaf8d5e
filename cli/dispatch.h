/*
 * dispatch.h - one whole run of grite, minus the process: parse argv, pick
 * the command, check its arguments, run it, and return the exit status.
 * main.c is a call to this; tests call it in-process for everything that
 * needs no daemon (help, usage errors, option checks).
 */
#ifndef GRITE_CLI_DISPATCH_H
#define GRITE_CLI_DISPATCH_H

#include <stdio.h>

/* Run grite with argv, printing results to out and messages to err.
 * Returns the exit status (exit_codes.h). */
int cli_main(int argc, char *const *argv, FILE *out, FILE *err);

#endif
