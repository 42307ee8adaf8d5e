/*
 * json_codec.c - the cJSON side of the codec and transport comparisons.
 */
#include "json_codec.h"

#include <string.h>

/* ---- encoding ---------------------------------------------------------- */

/* Add item under a constant key; frees the item when that fails. */
static bool attach(cJSON *obj, const char *key, cJSON *item)
{
    if (item != NULL && cJSON_AddItemToObjectCS(obj, key, item))
        return true;
    cJSON_Delete(item);
    return false;
}

/* Attach a string without copying it: the values outlive the tree. */
static bool add_str(cJSON *obj, const char *key, const char *value)
{
    cJSON *s = cJSON_CreateStringReference(value);
    return attach(obj, key, s);
}

static bool add_num(cJSON *obj, const char *key, double value)
{
    return attach(obj, key, cJSON_CreateNumber(value));
}

/* An array added under `key` to obj, or NULL. */
static cJSON *add_array(cJSON *obj, const char *key)
{
    cJSON *a = cJSON_CreateArray();
    if (a != NULL && !cJSON_AddItemToObjectCS(obj, key, a)) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

static bool add_str_array(cJSON *obj, const char *key, const char *const *items, size_t n)
{
    cJSON *arr = add_array(obj, key);
    if (arr == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        cJSON *s = cJSON_CreateStringReference(items[i]);
        if (s == NULL || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            return false;
        }
    }
    return true;
}

/* An object added under `key` to obj, or NULL. */
static cJSON *add_obj(cJSON *obj, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    if (o != NULL && !cJSON_AddItemToObjectCS(obj, key, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static bool print_into(cJSON *root, char *out, size_t cap, size_t *len)
{
    /* cJSON wants a few spare bytes beyond the output it writes. */
    if (cap > 0x7fffffff || cap < 8)
        return false;
    if (!cJSON_PrintPreallocated(root, out, (int)cap - 5, 0))
        return false;
    *len = strlen(out);
    return true;
}

static bool req_tree(cJSON *root, const workload *w)
{
    if (!add_num(root, "ipc_schema_version", WL_SCHEMA_VERSION) ||
        !add_str(root, "request_id", WL_REQUEST_ID) || !add_str(root, "repo_root", WL_REPO_ROOT) ||
        !add_str(root, "actor_id", WL_ACTOR_ID) || !add_str(root, "data_dir", WL_DATA_DIR))
        return false;
    cJSON *command = add_obj(root, "command");
    cJSON *create = command ? add_obj(command, "IssueCreate") : NULL;
    return create != NULL && add_str(create, "title", WL_TITLE) && add_str(create, "body", w->body) &&
           add_str_array(create, "labels", w->req_labels, WL_REQ_LABELS);
}

bool json_req_encode(const workload *w, char *out, size_t cap, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    bool ok = root != NULL && req_tree(root, w) && print_into(root, out, cap, len);
    cJSON_Delete(root);
    return ok;
}

static bool issue_tree(cJSON *arr, const wl_issue *is)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return false;
    }
    return add_str(o, "issue_id", is->issue_id) && add_str(o, "title", is->title) &&
           add_str(o, "state", is->closed ? "Closed" : "Open") &&
           add_str_array(o, "labels", is->labels, is->nlabels) &&
           add_num(o, "updated_ts", (double)is->updated_ts);
}

static bool resp_tree(cJSON *root, const workload *w)
{
    if (!add_num(root, "ipc_schema_version", WL_SCHEMA_VERSION) ||
        !add_str(root, "request_id", WL_REQUEST_ID))
        return false;
    cJSON *response = add_obj(root, "response");
    cJSON *list = response ? add_obj(response, "IssueListResult") : NULL;
    cJSON *issues = list ? add_array(list, "issues") : NULL;
    if (issues == NULL)
        return false;
    for (size_t i = 0; i < WL_ISSUES; i++)
        if (!issue_tree(issues, &w->issues[i]))
            return false;
    return add_num(list, "total", WL_TOTAL);
}

bool json_resp_encode(const workload *w, char *out, size_t cap, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    bool ok = root != NULL && resp_tree(root, w) && print_into(root, out, cap, len);
    cJSON_Delete(root);
    return ok;
}

/* ---- parsing and checking ---------------------------------------------- */

static const cJSON *get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static bool is_str(const cJSON *obj, const char *key) { return cJSON_IsString(get(obj, key)); }
static bool is_num(const cJSON *obj, const char *key) { return cJSON_IsNumber(get(obj, key)); }

static bool is_str_array(const cJSON *arr)
{
    if (!cJSON_IsArray(arr))
        return false;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
        if (!cJSON_IsString(item))
            return false;
    return true;
}

/* The payload of a one-key union object holding `variant`, or NULL. */
static const cJSON *variant(const cJSON *obj, const char *key, const char *name)
{
    const cJSON *u = get(obj, key);
    if (!cJSON_IsObject(u) || u->child == NULL || u->child->next != NULL)
        return NULL;
    const cJSON *v = u->child;
    return strcmp(v->string, name) == 0 && cJSON_IsObject(v) ? v : NULL;
}

static bool req_shape_ok(const cJSON *root)
{
    if (!cJSON_IsObject(root) || !is_num(root, "ipc_schema_version") || !is_str(root, "request_id") ||
        !is_str(root, "repo_root") || !is_str(root, "actor_id") || !is_str(root, "data_dir"))
        return false;
    const cJSON *c = variant(root, "command", "IssueCreate");
    return c != NULL && is_str(c, "title") && is_str(c, "body") && is_str_array(get(c, "labels"));
}

cJSON *json_req_parse(const char *buf, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(buf, len);
    if (root != NULL && !req_shape_ok(root)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static bool issue_shape_ok(const cJSON *is)
{
    if (!cJSON_IsObject(is) || !is_str(is, "issue_id") || !is_str(is, "title") ||
        !is_str_array(get(is, "labels")) || !is_num(is, "updated_ts"))
        return false;
    const cJSON *state = get(is, "state");
    return cJSON_IsString(state) &&
           (strcmp(state->valuestring, "Open") == 0 || strcmp(state->valuestring, "Closed") == 0);
}

static bool resp_shape_ok(const cJSON *root)
{
    if (!cJSON_IsObject(root) || !is_num(root, "ipc_schema_version") || !is_str(root, "request_id"))
        return false;
    const cJSON *list = variant(root, "response", "IssueListResult");
    if (list == NULL || !is_num(list, "total") || !cJSON_IsArray(get(list, "issues")))
        return false;
    const cJSON *is;
    cJSON_ArrayForEach(is, get(list, "issues"))
        if (!issue_shape_ok(is))
            return false;
    return true;
}

cJSON *json_resp_parse(const char *buf, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(buf, len);
    if (root != NULL && !resp_shape_ok(root)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- reading ------------------------------------------------------------ */

static uint64_t str_digest(const cJSON *s)
{
    const char *v = s->valuestring;
    return digest_str(v, strlen(v));
}

static uint64_t field_digest(const cJSON *obj, const char *key) { return str_digest(get(obj, key)); }

static uint64_t u64_field(const cJSON *obj, const char *key)
{
    return (uint64_t)get(obj, key)->valuedouble;
}

static uint64_t str_array_digest(const cJSON *arr)
{
    uint64_t d = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
        d += str_digest(item);
    return d;
}

uint64_t json_req_digest(const cJSON *req)
{
    uint64_t d = u64_field(req, "ipc_schema_version");
    d += field_digest(req, "request_id") + field_digest(req, "repo_root") +
         field_digest(req, "actor_id") + field_digest(req, "data_dir");
    const cJSON *c = get(get(req, "command"), "IssueCreate");
    return d + field_digest(c, "title") + field_digest(c, "body") + str_array_digest(get(c, "labels"));
}

uint64_t json_resp_digest(const cJSON *resp)
{
    uint64_t d = u64_field(resp, "ipc_schema_version") + field_digest(resp, "request_id");
    const cJSON *list = get(get(resp, "response"), "IssueListResult");
    d += u64_field(list, "total");
    const cJSON *is;
    cJSON_ArrayForEach(is, get(list, "issues"))
    {
        d += field_digest(is, "issue_id") + field_digest(is, "title");
        d += digest_state(strcmp(get(is, "state")->valuestring, "Closed") == 0);
        d += str_array_digest(get(is, "labels")) + u64_field(is, "updated_ts");
    }
    return d;
}

/* ---- full comparison ---------------------------------------------------- */

static bool str_is(const cJSON *obj, const char *key, const char *want)
{
    const cJSON *s = get(obj, key);
    return cJSON_IsString(s) && strcmp(s->valuestring, want) == 0;
}

static bool num_is(const cJSON *obj, const char *key, uint64_t want)
{
    const cJSON *n = get(obj, key);
    return cJSON_IsNumber(n) && n->valuedouble == (double)want;
}

static bool str_array_is(const cJSON *arr, const char *const *want, size_t n)
{
    if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != n)
        return false;
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
        if (strcmp(item->valuestring, want[i++]) != 0)
            return false;
    return true;
}

bool json_req_matches(const cJSON *req, const workload *w)
{
    const cJSON *c = get(get(req, "command"), "IssueCreate");
    return num_is(req, "ipc_schema_version", WL_SCHEMA_VERSION) &&
           str_is(req, "request_id", WL_REQUEST_ID) && str_is(req, "repo_root", WL_REPO_ROOT) &&
           str_is(req, "actor_id", WL_ACTOR_ID) && str_is(req, "data_dir", WL_DATA_DIR) &&
           str_is(c, "title", WL_TITLE) && str_is(c, "body", w->body) &&
           str_array_is(get(c, "labels"), w->req_labels, WL_REQ_LABELS);
}

static bool issue_is(const cJSON *is, const wl_issue *want)
{
    return str_is(is, "issue_id", want->issue_id) && str_is(is, "title", want->title) &&
           str_is(is, "state", want->closed ? "Closed" : "Open") &&
           str_array_is(get(is, "labels"), want->labels, want->nlabels) &&
           num_is(is, "updated_ts", want->updated_ts);
}

bool json_resp_matches(const cJSON *resp, const workload *w)
{
    const cJSON *list = get(get(resp, "response"), "IssueListResult");
    const cJSON *issues = get(list, "issues");
    if (!num_is(resp, "ipc_schema_version", WL_SCHEMA_VERSION) ||
        !str_is(resp, "request_id", WL_REQUEST_ID) || !num_is(list, "total", WL_TOTAL) ||
        cJSON_GetArraySize(issues) != WL_ISSUES)
        return false;
    size_t i = 0;
    const cJSON *is;
    cJSON_ArrayForEach(is, issues)
        if (!issue_is(is, &w->issues[i++]))
            return false;
    return true;
}

/* Free a checked tree and pass on the verdict reached on it. */
static bool delete_and_return(cJSON *tree, bool verdict)
{
    cJSON_Delete(tree);
    return verdict;
}

bool json_req_check(const char *buf, size_t len, uint64_t want_digest, const workload *w, bool verify_all)
{
    cJSON *req = json_req_parse(buf, len);
    return req != NULL && delete_and_return(req, json_req_digest(req) == want_digest &&
                                                     (!verify_all || json_req_matches(req, w)));
}

bool json_resp_check(const char *buf, size_t len, uint64_t want_digest, const workload *w, bool verify_all)
{
    cJSON *resp = json_resp_parse(buf, len);
    return resp != NULL && delete_and_return(resp, json_resp_digest(resp) == want_digest &&
                                                       (!verify_all || json_resp_matches(resp, w)));
}
