/*
 * main.c - grite, the reference command-line client of grite-daemon.
 * Everything happens in cli_main() (dispatch.h); see docs/CLI.md.
 */
#include <stdio.h>

#include "dispatch.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv, stdout, stderr);
}
