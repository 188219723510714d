/* Boot command-line parsing: applies "name", "name=value" and "no-name"
 * words to the options that files declare with the macros in xen/param.h.
 *
 * Words are separated by blanks; double quotes group blanks into a value
 * (opt="a b") and are removed.  '-' and '_' are the same character in
 * option names, so dom0-mem and dom0_mem name one option.  Nothing here is
 * fatal: an unknown option or a bad value is reported and skipped, and the
 * variable keeps its default. */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/param.h>

/* The longest word accepted, terminator included.  GRUB hands over far
 * shorter command lines than this in practice. */
#define WORD_MAX 1024

#define NO_EQUALS ((size_t)-1)

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char fold_dash(char c)
{
    return c == '-' ? '_' : c;
}

static bool names_equal(const char *a, const char *b)
{
    for ( ; *a && *b; a++, b++ )
        if ( fold_dash(*a) != fold_dash(*b) )
            return false;
    return *a == *b;
}

static const struct kernel_param *find_param(const char *name)
{
    const struct kernel_param *p;

    for ( p = __start_xen_params; p < __stop_xen_params; p++ )
        if ( p->name && names_equal(p->name, name) )
            return p;
    return NULL;
}

enum word_status { WORD_OK, WORD_TOO_LONG, WORD_UNTERMINATED };

/*
 * Copies the word at *pp into word without its quotes and advances *pp past
 * it.  *equals gets the index of the first '=' outside quotes, or
 * NO_EQUALS.  A word too long for the buffer is still skipped in full, so
 * parsing resumes at the next word.
 */
static enum word_status next_word(const char **pp, char *word,
                                  size_t *equals)
{
    const char *p = *pp;
    size_t n = 0;
    bool quoted = false, too_long = false;

    *equals = NO_EQUALS;
    for ( ; *p && (quoted || !is_blank(*p)); p++ )
    {
        if ( *p == '"' )
        {
            quoted = !quoted;
            continue;
        }
        if ( *p == '=' && !quoted && *equals == NO_EQUALS )
            *equals = n;
        if ( n + 1 < WORD_MAX )
            word[n++] = *p;
        else
            too_long = true;
    }
    word[n] = '\0';
    *pp = p;

    if ( too_long )
        return WORD_TOO_LONG;
    return quoted ? WORD_UNTERMINATED : WORD_OK;
}

static void report_bad_value(const char *name, const char *val,
                             const char *why)
{
    printk(XENLOG_WARNING "boot option '%s': bad value '%s' (%s), ignored\n",
           name, val ? val : "", why);
}

/* Stores v into a variable of 1, 2, 4 or 8 bytes, refusing values that do
 * not fit.  Copying from a local of the exact width avoids assuming which
 * C type the variable was declared with. */
static int store_unsigned(const struct kernel_param *p, uint64_t v)
{
    uint8_t v8 = (uint8_t)v;
    uint16_t v16 = (uint16_t)v;
    uint32_t v32 = (uint32_t)v;

    switch ( p->len )
    {
    case 1:
        if ( v > UINT8_MAX )
            return -ERANGE;
        memcpy(p->var, &v8, 1);
        return 0;
    case 2:
        if ( v > UINT16_MAX )
            return -ERANGE;
        memcpy(p->var, &v16, 2);
        return 0;
    case 4:
        if ( v > UINT32_MAX )
            return -ERANGE;
        memcpy(p->var, &v32, 4);
        return 0;
    case 8:
        memcpy(p->var, &v, 8);
        return 0;
    default:
        return -EINVAL;
    }
}

static int parse_bool(const char *val, bool *out)
{
    static const char *const yes[] = { "1", "yes", "on", "true" };
    static const char *const no[] = { "0", "no", "off", "false" };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
    {
        if ( !strcmp(val, yes[i]) )
        {
            *out = true;
            return 0;
        }
        if ( !strcmp(val, no[i]) )
        {
            *out = false;
            return 0;
        }
    }
    return -EINVAL;
}

/* Parses val for an integer option: NULL, or why it is no good. */
static const char *parse_integer(const struct kernel_param *p,
                                 const char *val, uint64_t *v)
{
    unsigned long ul;
    const char *end;
    int rc;

    if ( p->type == PARAM_SIZE )
        rc = parse_size(val, 0, v);
    else
    {
        rc = parse_ulong(val, 0, &ul, &end);
        if ( !rc && *end )
            rc = -EINVAL;
        if ( !rc )
            *v = ul;
    }
    if ( rc == -ERANGE )
        return "too large";
    return rc ? "not a number" : NULL;
}

/* Applies one option; returns 0, or 1 after reporting a problem. */
static int apply_param(const struct kernel_param *p, const char *name,
                       const char *val, bool negated)
{
    const char *why = NULL;
    uint64_t v = 0;
    bool b = false;

    if ( p->type != PARAM_CUSTOM && (!p->var || !p->len) )
        why = "broken option table entry";
    else
    {
        switch ( p->type )
        {
        case PARAM_BOOL:
            if ( negated && val )
                why = "the no- form takes no value";
            else if ( val && parse_bool(val, &b) )
                why = "expected yes/no/on/off/true/false/1/0";
            else if ( store_unsigned(p, val ? b : !negated) )
                why = "broken option table entry";
            break;

        case PARAM_UINT:
        case PARAM_ULONG:
        case PARAM_SIZE:
            if ( !val )
                why = "a value is required";
            else if ( !(why = parse_integer(p, val, &v)) )
            {
                int rc = store_unsigned(p, v);

                if ( rc == -ERANGE )
                    why = "too large for the option";
                else if ( rc )
                    why = "broken option table entry";
            }
            break;

        case PARAM_STRING:
            if ( !val )
                why = "a value is required";
            else if ( strlcpy(p->var, val, p->len) >= p->len )
            {
                /* Keep the truncated value (it is safe and probably the
                 * closest to what was meant) but say so. */
                printk(XENLOG_WARNING "boot option '%s': value '%s' "
                       "truncated to %zu characters\n",
                       name, val, p->len - 1);
                return 1;
            }
            break;

        case PARAM_CUSTOM:
            if ( !p->func )
                why = "broken option table entry";
            else if ( p->func(val) )
                why = "rejected by the option's handler";
            break;

        default:
            why = "broken option table entry";
            break;
        }
    }

    if ( !why )
        return 0;
    report_bad_value(name, val, why);
    return 1;
}

/* Handles one word; returns the number of problems it had (0 or 1). */
static int parse_word(char *word, size_t equals)
{
    const struct kernel_param *p;
    const char *val = NULL;
    bool negated = false;

    if ( equals != NO_EQUALS )
    {
        word[equals] = '\0';
        val = word + equals + 1;
    }
    if ( word[0] == '\0' )
    {
        printk(XENLOG_WARNING "boot option '=%s' has no name, ignored\n",
               val ? val : "");
        return 1;
    }

    p = find_param(word);
    if ( !p && (!strncmp(word, "no-", 3) || !strncmp(word, "no_", 3)) )
    {
        p = find_param(word + 3);
        if ( p && p->type != PARAM_BOOL )
        {
            printk(XENLOG_WARNING "boot option '%s': only boolean options "
                   "have a no- form, ignored\n", word);
            return 1;
        }
        negated = p != NULL;
    }
    if ( !p )
    {
        printk(XENLOG_WARNING "unknown boot option '%s' ignored\n", word);
        return 1;
    }
    return apply_param(p, word, val, negated);
}

int cmdline_parse(const char *cmdline)
{
    char word[WORD_MAX];
    int problems = 0;
    const char *p = cmdline;

    if ( !p )
        return 0;

    for ( ; ; )
    {
        size_t equals;
        enum word_status status;

        while ( is_blank(*p) )
            p++;
        if ( !*p )
            break;

        status = next_word(&p, word, &equals);
        if ( status == WORD_TOO_LONG )
        {
            printk(XENLOG_WARNING "boot option '%.32s...' is longer than "
                   "%d characters, ignored\n", word, WORD_MAX - 1);
            problems++;
        }
        else if ( status == WORD_UNTERMINATED )
        {
            printk(XENLOG_WARNING "boot option '%s' has an unterminated "
                   "quote, ignored\n", word);
            problems++;
        }
        else
            problems += parse_word(word, equals);
    }
    return problems;
}
