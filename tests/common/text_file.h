/*
 * text_file.h - writing the input files a test hands to a tool (an .idl
 * for gritec, say). A failure ends the current Check test.
 */
#ifndef GRITE_TESTS_TEXT_FILE_H
#define GRITE_TESTS_TEXT_FILE_H

/* Create or replace the file at path with text (without its NUL). */
void test_write_file(const char *path, const char *text);

#endif
