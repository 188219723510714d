/*
 * config.c: lexer and parser for the xl.cfg-style configuration language
 * (see config.h for the syntax).  It knows nothing about which keys exist:
 * it turns text into a list of positioned settings, and domcfg.c and
 * xendconf.c give them meaning.  Every error names file:line:column.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "protocol.h"
#include "xmalloc.h"

enum tok {
	T_EOF, T_NEWLINE, T_IDENT, T_STRING, T_NUMBER, T_EQUALS, T_LBRACKET,
	T_RBRACKET, T_COMMA, T_SEMI,
};

struct lexer {
	const struct cfg_file *file;
	const char	*text;
	size_t		 len, pos;
	int		 line, col;
	/* current token */
	enum tok	 tok;
	int		 tline, tcol;
	char		*tstr;		/* T_IDENT, T_STRING */
	uint64_t	 tnum;
	char		*error;
};

static const char *
tok_name(enum tok t)
{
	switch (t) {
	case T_EOF:		return "end of file";
	case T_NEWLINE:		return "end of line";
	case T_IDENT:		return "a key name";
	case T_STRING:		return "a string";
	case T_NUMBER:		return "a number";
	case T_EQUALS:		return "'='";
	case T_LBRACKET:	return "'['";
	case T_RBRACKET:	return "']'";
	case T_COMMA:		return "','";
	case T_SEMI:		return "';'";
	}
	return "?";
}

static char *
verror_at(const struct cfg_file *f, int line, int col, const char *fmt,
    va_list ap)
{
	char *msg, *out;

	if (vasprintf(&msg, fmt, ap) < 0)
		return xstrdup("out of memory");
	xasprintf(&out, "%s:%d:%d: %s", f->path, line, col, msg);
	free(msg);
	return out;
}

char *
cfg_error_at(const struct cfg_file *f, int line, int col, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = verror_at(f, line, col, fmt, ap);
	va_end(ap);
	return s;
}

void
cfg_warn_at(struct cfg_warnings *w, const struct cfg_file *f, int line,
    int col, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (w == NULL)
		return;
	va_start(ap, fmt);
	s = verror_at(f, line, col, fmt, ap);
	va_end(ap);
	w->msgs = xreallocarray(w->msgs, w->n + 1, sizeof *w->msgs);
	w->msgs[w->n++] = s;
}

void
cfg_warnings_free(struct cfg_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->msgs[i]);
	free(w->msgs);
	w->msgs = NULL;
	w->n = 0;
}

static int
lex_fail(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (lx->error == NULL) {
		va_start(ap, fmt);
		lx->error = verror_at(lx->file, line, col, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
peekc(const struct lexer *lx, size_t ahead)
{
	if (lx->pos + ahead >= lx->len)
		return -1;
	return (unsigned char)lx->text[lx->pos + ahead];
}

static void
advance(struct lexer *lx)
{
	if (lx->text[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else if (((unsigned char)lx->text[lx->pos] & 0xc0) != 0x80)
		lx->col++;	/* count characters, not UTF-8 bytes */
	lx->pos++;
}

static int
lex_string(struct lexer *lx)
{
	int quote = peekc(lx, 0), c, line = lx->line, col = lx->col;
	size_t cap = 64, n = 0;
	char *buf = xmalloc(cap);

	advance(lx);
	for (;;) {
		c = peekc(lx, 0);
		if (c == -1 || c == '\n') {
			free(buf);
			return lex_fail(lx, line, col, "unterminated string");
		}
		if (c == quote) {
			advance(lx);
			break;
		}
		if (c == '\\' && quote == '"') {
			int e = peekc(lx, 1);
			switch (e) {
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			default:
				free(buf);
				return lex_fail(lx, lx->line, lx->col,
				    "unknown escape in string (use \\\\, \\\", "
				    "\\n or \\t)");
			}
			advance(lx);
		}
		advance(lx);
		if (n + 2 > cap)
			buf = xreallocarray(buf, cap *= 2, 1);
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	lx->tok = T_STRING;
	lx->tstr = buf;
	return 0;
}

static int
lex_number(struct lexer *lx)
{
	int line = lx->line, col = lx->col, c;
	uint64_t v = 0;
	int too_big = 0;
	size_t start = lx->pos;

	while ((c = peekc(lx, 0)) != -1 && isdigit(c)) {
		unsigned d = (unsigned)(c - '0');
		if (v > (UINT64_MAX - d) / 10)
			too_big = 1;
		v = v * 10 + d;
		advance(lx);
	}
	if (c != -1 && (isalnum(c) || c == '.' || c == '_')) {
		size_t end = lx->pos;
		while (end < lx->len && (isalnum((unsigned char)lx->text[end])
		    || lx->text[end] == '.' || lx->text[end] == '_'))
			end++;
		return lex_fail(lx, line, col, "bad number '%.*s' (numbers are "
		    "plain decimal digits; sizes are in MiB)",
		    (int)(end - start), lx->text + start);
	}
	if (too_big)
		return lex_fail(lx, line, col, "number too large");
	lx->tok = T_NUMBER;
	lx->tnum = v;
	return 0;
}

/* Read the next token.  Inside brackets newlines are just blanks. */
static int
lex_next(struct lexer *lx, int in_list)
{
	int c;

	free(lx->tstr);
	lx->tstr = NULL;
	for (;;) {
		c = peekc(lx, 0);
		if (c == '#') {
			while ((c = peekc(lx, 0)) != -1 && c != '\n')
				advance(lx);
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' ||
		    (c == '\n' && in_list)) {
			advance(lx);
			continue;
		}
		break;
	}
	lx->tline = lx->line;
	lx->tcol = lx->col;
	switch (c) {
	case -1:	lx->tok = T_EOF; return 0;
	case '\n':	lx->tok = T_NEWLINE; advance(lx); return 0;
	case '=':	lx->tok = T_EQUALS; advance(lx); return 0;
	case '[':	lx->tok = T_LBRACKET; advance(lx); return 0;
	case ']':	lx->tok = T_RBRACKET; advance(lx); return 0;
	case ',':	lx->tok = T_COMMA; advance(lx); return 0;
	case ';':	lx->tok = T_SEMI; advance(lx); return 0;
	case '"':
	case '\'':	return lex_string(lx);
	}
	if (isdigit(c))
		return lex_number(lx);
	if (isalpha(c) || c == '_') {
		size_t start = lx->pos;
		while ((c = peekc(lx, 0)) != -1 && (isalnum(c) || c == '_'))
			advance(lx);
		lx->tok = T_IDENT;
		lx->tstr = xstrndup(lx->text + start, lx->pos - start);
		return 0;
	}
	if (c == '-' || c == '+')
		return lex_fail(lx, lx->line, lx->col,
		    "signed numbers are not allowed");
	if (isprint(c))
		return lex_fail(lx, lx->line, lx->col, "unexpected '%c'", c);
	return lex_fail(lx, lx->line, lx->col,
	    "unexpected character (byte 0x%02x)", c);
}

static int
parse_scalar(struct lexer *lx, struct cfg_value *v)
{
	v->line = lx->tline;
	v->col = lx->tcol;
	if (lx->tok == T_STRING) {
		v->type = CFG_STRING;
		v->str = lx->tstr;
		lx->tstr = NULL;
		return 0;
	}
	if (lx->tok == T_NUMBER) {
		v->type = CFG_NUMBER;
		v->num = lx->tnum;
		return 0;
	}
	if (lx->tok == T_LBRACKET)
		return lex_fail(lx, lx->tline, lx->tcol,
		    "lists cannot be nested");
	if (lx->tok == T_IDENT)
		return lex_fail(lx, lx->tline, lx->tcol, "expected a value, "
		    "found bare word '%s' (put strings in quotes)", lx->tstr);
	return lex_fail(lx, lx->tline, lx->tcol, "expected a value, found %s",
	    tok_name(lx->tok));
}

static void
value_free(struct cfg_value *v)
{
	size_t i;

	free(v->str);
	for (i = 0; i < v->nitems; i++)
		value_free(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof *v);
}

static int
parse_value(struct lexer *lx, struct cfg_value *v)
{
	memset(v, 0, sizeof *v);
	if (lx->tok != T_LBRACKET)
		return parse_scalar(lx, v);
	v->type = CFG_LIST;
	v->line = lx->tline;
	v->col = lx->tcol;
	if (lex_next(lx, 1) != 0)
		return -1;
	while (lx->tok != T_RBRACKET) {
		if (lx->tok == T_EOF)
			return lex_fail(lx, v->line, v->col,
			    "unterminated list");
		v->items = xreallocarray(v->items, v->nitems + 1,
		    sizeof *v->items);
		memset(&v->items[v->nitems], 0, sizeof *v->items);
		if (parse_scalar(lx, &v->items[v->nitems]) != 0)
			return -1;
		v->nitems++;
		if (lex_next(lx, 1) != 0)
			return -1;
		if (lx->tok == T_COMMA) {
			if (lex_next(lx, 1) != 0)
				return -1;
		} else if (lx->tok != T_RBRACKET) {
			if (lx->tok == T_EOF)
				return lex_fail(lx, v->line, v->col,
				    "unterminated list");
			return lex_fail(lx, lx->tline, lx->tcol,
			    "expected ',' or ']' in list, found %s",
			    tok_name(lx->tok));
		}
	}
	return 0;
}

static int
check_bytes(struct lexer *lx)
{
	size_t i, start = 0;
	int line = 1;

	for (i = 0; i <= lx->len; i++) {
		if (i < lx->len && lx->text[i] == '\0')
			return lex_fail(lx, line, 1, "NUL byte in file");
		if (i == lx->len || lx->text[i] == '\n') {
			if (!proto_utf8_valid(lx->text + start, i - start))
				return lex_fail(lx, line, 1,
				    "line is not valid UTF-8");
			start = i + 1;
			line++;
		}
	}
	return 0;
}

int
cfg_parse(const char *path, const char *text, size_t len, struct cfg_file *f,
    char **error)
{
	struct lexer lx;
	struct cfg_setting *s;
	size_t i;

	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	memset(&lx, 0, sizeof lx);
	lx.file = f;
	lx.text = text;
	lx.len = len;
	lx.line = lx.col = 1;

	if (len > CFG_TEXT_MAX) {
		lex_fail(&lx, 1, 1, "file is larger than %d bytes",
		    CFG_TEXT_MAX);
		goto fail;
	}
	if (check_bytes(&lx) != 0)
		goto fail;
	if (lex_next(&lx, 0) != 0)
		goto fail;
	for (;;) {
		while (lx.tok == T_NEWLINE || lx.tok == T_SEMI)
			if (lex_next(&lx, 0) != 0)
				goto fail;
		if (lx.tok == T_EOF)
			break;
		if (lx.tok != T_IDENT) {
			lex_fail(&lx, lx.tline, lx.tcol, "expected a key name, "
			    "found %s", tok_name(lx.tok));
			goto fail;
		}
		for (i = 0; i < f->n; i++) {
			if (strcmp(f->settings[i].key, lx.tstr) == 0) {
				lex_fail(&lx, lx.tline, lx.tcol, "duplicate key "
				    "'%s' (first set at line %d)", lx.tstr,
				    f->settings[i].line);
				goto fail;
			}
		}
		f->settings = xreallocarray(f->settings, f->n + 1,
		    sizeof *f->settings);
		s = &f->settings[f->n];
		memset(s, 0, sizeof *s);
		s->key = lx.tstr;
		lx.tstr = NULL;
		s->line = lx.tline;
		s->col = lx.tcol;
		f->n++;
		if (lex_next(&lx, 0) != 0)
			goto fail;
		if (lx.tok != T_EQUALS) {
			lex_fail(&lx, lx.tline, lx.tcol, "expected '=' after "
			    "'%s', found %s", s->key, tok_name(lx.tok));
			goto fail;
		}
		if (lex_next(&lx, 0) != 0)
			goto fail;
		if (parse_value(&lx, &s->value) != 0)
			goto fail;
		if (lex_next(&lx, 0) != 0)
			goto fail;
		if (lx.tok != T_NEWLINE && lx.tok != T_SEMI && lx.tok != T_EOF) {
			lex_fail(&lx, lx.tline, lx.tcol, "expected end of line "
			    "after the value of '%s', found %s", s->key,
			    tok_name(lx.tok));
			goto fail;
		}
	}
	free(lx.tstr);
	return 0;

fail:
	free(lx.tstr);
	*error = lx.error;
	cfg_free(f);
	return -1;
}

void
cfg_free(struct cfg_file *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->settings[i].key);
		value_free(&f->settings[i].value);
	}
	free(f->settings);
	free(f->path);
	memset(f, 0, sizeof *f);
}

int
cfg_read_file(const char *path, char **text, size_t *len, char **error)
{
	int fd, e;
	struct stat st;
	ssize_t n;
	size_t got = 0;
	char *buf;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		e = errno;
		xasprintf(error, "cannot read %s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		xasprintf(error, "cannot read %s: %s", path, strerror(EISDIR));
		close(fd);
		errno = EISDIR;
		return -1;
	}
	buf = xmalloc(CFG_TEXT_MAX + 2);
	while ((n = read(fd, buf + got, CFG_TEXT_MAX + 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (n < 0) {
		e = errno;
		xasprintf(error, "cannot read %s: %s", path, strerror(e));
		free(buf);
		errno = e;
		return -1;
	}
	if (got > CFG_TEXT_MAX) {
		xasprintf(error, "%s: file is larger than %d bytes", path,
		    CFG_TEXT_MAX);
		free(buf);
		errno = EFBIG;
		return -1;
	}
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return 0;
}

int
cfg_want_string(const struct cfg_file *f, const struct cfg_setting *s,
    char **out, char **error)
{
	if (s->value.type != CFG_STRING) {
		*error = cfg_error_at(f, s->value.line, s->value.col,
		    "'%s' must be a quoted string", s->key);
		return -1;
	}
	free(*out);
	*out = xstrdup(s->value.str);
	return 0;
}

int
cfg_want_number(const struct cfg_file *f, const struct cfg_setting *s,
    uint64_t min, uint64_t max, uint64_t *out, char **error)
{
	if (s->value.type != CFG_NUMBER) {
		*error = cfg_error_at(f, s->value.line, s->value.col,
		    "'%s' must be a number%s", s->key,
		    s->value.type == CFG_STRING ? " (remove the quotes)" : "");
		return -1;
	}
	if (s->value.num < min || s->value.num > max) {
		*error = cfg_error_at(f, s->value.line, s->value.col,
		    "'%s' must be between %llu and %llu, not %llu", s->key,
		    (unsigned long long)min, (unsigned long long)max,
		    (unsigned long long)s->value.num);
		return -1;
	}
	*out = s->value.num;
	return 0;
}
