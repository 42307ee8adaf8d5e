/* text_file.c - see text_file.h. */
#include "text_file.h"

#include <check.h>
#include <stdio.h>

void test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}
