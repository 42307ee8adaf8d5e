/*
 * compat_report.h - the lines `gritec --compat` prints: one per change,
 * sorted by their position in the new file, then a summary line.
 *
 *   new.idl:79:5: compatible: variant 'IpcCommand.IssueArchive' appended; ... (old.idl:49:7)
 *   new.idl:100:5: breaking: field 'IssueSummary.state' changed type from IssueState
 *       to u32 (old.idl:98:5)                                       (one line, really)
 *   breaking: 2 changes (1 breaking, 1 compatible); fingerprint changed (0x... -> 0x...)
 */
#ifndef GRITEC_COMPAT_REPORT_H
#define GRITEC_COMPAT_REPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"   /* GRITEC_PRINTF */
#include "strbuf.h"

/* A change's verdict, from harmless to fatal (the order matters). */
typedef enum change_verdict {
    CHANGE_COMPATIBLE,  /* both sides still read each other (docs/IDL.md 8.1) */
    CHANGE_WARNING,     /* the bytes are read the same, but under other names */
    CHANGE_BREAKING     /* some message is rejected or misread */
} change_verdict;

typedef struct change {
    src_loc new_loc, old_loc;
    change_verdict verdict;
    char *text;
    size_t seq;         /* order of discovery: ties in position keep it */
} change;

typedef struct change_list {
    change *items;
    size_t len, cap;
} change_list;

#define CHANGE_LIST_INIT { NULL, 0, 0 }

void changes_add(change_list *l, change_verdict v, src_loc new_loc, src_loc old_loc,
                 const char *fmt, ...) GRITEC_PRINTF(5, 6);
void changes_vadd(change_list *l, change_verdict v, src_loc new_loc, src_loc old_loc,
                  const char *fmt, va_list ap) GRITEC_PRINTF(5, 0);
void changes_free(change_list *l);

/* How many changes have verdict v. */
size_t changes_count(const change_list *l, change_verdict v);

/* Append every change, sorted by new-file position, as
 * "NEW:LINE:COL: VERDICT: TEXT (OLD:LINE:COL)\n". */
void changes_print(change_list *l, const char *old_file, const char *new_file, strbuf *out);

/* Append the summary line: the overall verdict, the counts, and whether
 * the schema fingerprint changed. */
void changes_print_summary(const change_list *l, uint64_t old_fingerprint,
                           uint64_t new_fingerprint, strbuf *out);

#endif /* GRITEC_COMPAT_REPORT_H */
