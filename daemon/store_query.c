/* store_query.c - IssueList: filter the index in the list order (updated_ts
 * descending, then issue_id ascending), count every match, keep one page. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static bool has_label(const struct grite_issue *is, const char *label)
{
    size_t lo = 0, hi = is->label_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(is->labels[mid], label);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static bool matches(const struct grite_issue *is, const struct grite_issue_filter *f)
{
    if (f->has_state && is->state != f->state)
        return false;
    return f->label == NULL || has_label(is, f->label);
}

static enum grite_store_status check_filter(const struct grite_issue_filter *f,
                                            struct grite_store_error *err)
{
    if (f->has_state && f->state != GRITE_ISSUE_OPEN && f->state != GRITE_ISSUE_CLOSED)
        return store_fail(err, GRITE_STORE_INVALID_ARGS, "state filter %d is not a state",
                          (int)f->state);
    if (f->label != NULL) {
        text_reason scratch;
        const char *why = store_check_label(f->label, strlen(f->label), scratch);
        if (why != NULL)
            return store_fail(err, GRITE_STORE_INVALID_ARGS, "label filter %s", why);
    }
    return GRITE_STORE_OK;
}

/* Room for a page of up to `want` issues. */
static bool reserve_page(const struct grite_issue ***scratch, size_t *cap, size_t want)
{
    if (want <= *cap)
        return true;
    const struct grite_issue **grown = realloc(*scratch, want * sizeof *grown);
    if (grown == NULL)
        return false;
    *scratch = grown;
    *cap = want;
    return true;
}

enum grite_store_status store_query_list(struct index *ix, const struct grite_issue_filter *filter,
                                         const struct grite_issue ***scratch, size_t *scratch_cap,
                                         struct grite_issue_page *page,
                                         struct grite_store_error *err)
{
    static const struct grite_issue_filter everything = {0};
    const struct grite_issue_filter *f = filter != NULL ? filter : &everything;
    enum grite_store_status rc = check_filter(f, err);
    if (rc != GRITE_STORE_OK)
        return rc;
    size_t limit = f->has_limit && f->limit < ix->issue_count ? f->limit : ix->issue_count;
    if (!reserve_page(scratch, scratch_cap, limit + 1))
        return store_fail_nomem(err);
    store_index_sort_order(ix);
    uint64_t total = 0;
    size_t count = 0;
    for (size_t i = 0; i < ix->issue_count; i++) {
        struct store_issue *si = ix->order[i];
        if (!matches(&si->pub, f))
            continue;
        if (total >= f->offset && count < limit)
            (*scratch)[count++] = &si->pub;
        total++;
    }
    page->issues = *scratch;
    page->count = count;
    page->total = total;
    return GRITE_STORE_OK;
}
