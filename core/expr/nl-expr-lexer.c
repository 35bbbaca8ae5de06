/* nl-expr-lexer.c — Python 3 tokens, as far as an expression needs them.
 *
 * The lexer recognises more than the language allows (strings, keywords,
 * subscripts, assignments…) so that the parser can say precisely what was
 * refused and where, instead of a bare "syntax error".
 */
#include <string.h>

#include "nl-expr-private.h"

static gboolean
is_digit (int c)
{
  return c >= '0' && c <= '9';
}

static gboolean
is_ident_start (int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static gboolean
is_ident (int c)
{
  return is_ident_start (c) || is_digit (c);
}

static gboolean
is_hex (int c)
{
  return is_digit (c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static gboolean
is_oct (int c)
{
  return c >= '0' && c <= '7';
}

static gboolean
is_bin (int c)
{
  return c == '0' || c == '1';
}

static gboolean
lex_fail (GError **error, guint *error_offset, guint offset,
          NlExprError code, const char *message)
{
  *error_offset = offset;
  g_set_error_literal (error, NL_EXPR_ERROR, code, message);
  return FALSE;
}

/* Python's digit groups: digits with single underscores between them.
 * Appends the digits (without underscores) to out; returns the end, or
 * G_MAXUINT at a misplaced underscore, whose offset goes to *bad. */
static guint
scan_digits (const char *s, guint len, guint p, gboolean (*ok) (int),
             GString *out, guint *bad)
{
  while (p < len)
    {
      if (ok ((guchar) s[p]))
        g_string_append_c (out, s[p++]);
      else if (s[p] == '_')
        {
          if (p + 1 < len && ok ((guchar) s[p + 1]))
            p++;
          else
            {
              *bad = p;
              return G_MAXUINT;
            }
        }
      else
        break;
    }
  return p;
}

/* Octal and binary literals become hexadecimal text so that strtod does
 * the (correctly rounded) conversion for every base alike. */
static void
bits_to_hex (const char *digits, guint bits_per_digit, GString *hex)
{
  GString *bits = g_string_new (NULL);
  static const char xdigits[] = "0123456789abcdef";

  for (const char *d = digits; *d; d++)
    {
      guint v = (guint) (*d - '0');
      for (int b = (int) bits_per_digit - 1; b >= 0; b--)
        g_string_append_c (bits, (v >> b) & 1 ? '1' : '0');
    }
  while (bits->len % 4 != 0)
    g_string_prepend_c (bits, '0');
  g_string_append (hex, "0x");
  for (gsize i = 0; i < bits->len; i += 4)
    {
      guint v = (guint) ((bits->str[i] - '0') << 3 | (bits->str[i + 1] - '0') << 2
                         | (bits->str[i + 2] - '0') << 1 | (bits->str[i + 3] - '0'));
      g_string_append_c (hex, xdigits[v]);
    }
  g_string_free (bits, TRUE);
}

static gboolean
lex_number (NlLexer *lx, NlToken *tok, GError **error, guint *error_offset)
{
  const char *s = lx->src;
  guint len = lx->len;
  guint start = lx->pos, p = start, bad = 0;
  GString *text = g_string_new (NULL);
  gboolean is_float = FALSE, ok = TRUE;

  if (s[p] == '0' && p + 1 < len && strchr ("xXoObB", s[p + 1]) != NULL && s[p + 1] != '\0')
    {
      char base = (char) g_ascii_tolower (s[p + 1]);
      gboolean (*digit_ok) (int) = base == 'x' ? is_hex : base == 'o' ? is_oct : is_bin;
      GString *digits = g_string_new (NULL);

      p += 2;
      if (p < len && s[p] == '_')
        p++;
      if (p >= len || !digit_ok ((guchar) s[p]))
        {
          g_string_free (digits, TRUE);
          g_string_free (text, TRUE);
          return lex_fail (error, error_offset, start, NL_EXPR_ERROR_SYNTAX, "invalid number");
        }
      p = scan_digits (s, len, p, digit_ok, digits, &bad);
      if (p == G_MAXUINT)
        ok = FALSE;
      else if (base == 'x')
        g_string_append_printf (text, "0x%s", digits->str);
      else
        bits_to_hex (digits->str, base == 'o' ? 3 : 1, text);
      g_string_free (digits, TRUE);
      if (!ok)
        {
          g_string_free (text, TRUE);
          return lex_fail (error, error_offset, bad, NL_EXPR_ERROR_SYNTAX, "invalid number");
        }
    }
  else
    {
      gboolean leading_zero = FALSE, nonzero = FALSE;

      if (is_digit ((guchar) s[p]))
        {
          leading_zero = s[p] == '0';
          p = scan_digits (s, len, p, is_digit, text, &bad);
          if (p == G_MAXUINT)
            goto bad_number;
          for (gsize i = 0; i < text->len; i++)
            nonzero |= text->str[i] != '0';
        }
      if (p < len && s[p] == '.')
        {
          is_float = TRUE;
          g_string_append_c (text, '.');
          p++;
          if (p < len && is_digit ((guchar) s[p]))
            {
              p = scan_digits (s, len, p, is_digit, text, &bad);
              if (p == G_MAXUINT)
                goto bad_number;
            }
        }
      if (p < len && (s[p] == 'e' || s[p] == 'E'))
        {
          guint q = p + 1;
          if (q < len && (s[q] == '+' || s[q] == '-'))
            q++;
          if (q < len && is_digit ((guchar) s[q]))
            {
              is_float = TRUE;
              g_string_append_c (text, 'e');
              if (s[p + 1] == '-')
                g_string_append_c (text, '-');
              p = scan_digits (s, len, q, is_digit, text, &bad);
              if (p == G_MAXUINT)
                goto bad_number;
            }
        }
      if (p < len && (s[p] == 'j' || s[p] == 'J'))
        {
          g_string_free (text, TRUE);
          return lex_fail (error, error_offset, start, NL_EXPR_ERROR_FORBIDDEN,
                           "complex numbers are not supported");
        }
      if (!is_float && leading_zero && nonzero)
        {
          g_string_free (text, TRUE);
          return lex_fail (error, error_offset, start, NL_EXPR_ERROR_SYNTAX,
                           "leading zeros are not allowed in an integer (write 0o… for octal)");
        }
    }

  if (p < len && (is_ident ((guchar) s[p]) || s[p] == '.'))
    {
      /* "1abc", "1e", "0x1g", "1.2.3", "1_": Python rejects them as
       * invalid literals too.  (A '.' here would be attribute access on a
       * number, which is also refused.) */
      g_string_free (text, TRUE);
      if (s[p] == '.')
        return lex_fail (error, error_offset, p, NL_EXPR_ERROR_FORBIDDEN,
                         "attribute access is not allowed");
      return lex_fail (error, error_offset, start, NL_EXPR_ERROR_SYNTAX, "invalid number");
    }

  tok->kind = NL_TOK_NUM;
  tok->start = start;
  tok->len = p - start;
  tok->num = g_ascii_strtod (text->str, NULL);
  g_string_free (text, TRUE);
  lx->pos = p;
  return TRUE;

bad_number:
  g_string_free (text, TRUE);
  return lex_fail (error, error_offset, bad, NL_EXPR_ERROR_SYNTAX, "invalid number");
}

static const struct {
  const char *word;
  NlTokKind   kind;
} keywords[] = {
  { "and", NL_TOK_AND }, { "or", NL_TOK_OR }, { "not", NL_TOK_NOT },
  { "if", NL_TOK_IF }, { "else", NL_TOK_ELSE },
  { "True", NL_TOK_TRUE }, { "False", NL_TOK_FALSE },
  { "in", NL_TOK_IN }, { "is", NL_TOK_IS },
  { "None", NL_TOK_KEYWORD }, { "as", NL_TOK_KEYWORD }, { "assert", NL_TOK_KEYWORD },
  { "async", NL_TOK_KEYWORD }, { "await", NL_TOK_KEYWORD }, { "break", NL_TOK_KEYWORD },
  { "class", NL_TOK_KEYWORD }, { "continue", NL_TOK_KEYWORD }, { "def", NL_TOK_KEYWORD },
  { "del", NL_TOK_KEYWORD }, { "elif", NL_TOK_KEYWORD }, { "except", NL_TOK_KEYWORD },
  { "finally", NL_TOK_KEYWORD }, { "for", NL_TOK_KEYWORD }, { "from", NL_TOK_KEYWORD },
  { "global", NL_TOK_KEYWORD }, { "import", NL_TOK_KEYWORD }, { "lambda", NL_TOK_KEYWORD },
  { "nonlocal", NL_TOK_KEYWORD }, { "pass", NL_TOK_KEYWORD }, { "raise", NL_TOK_KEYWORD },
  { "return", NL_TOK_KEYWORD }, { "try", NL_TOK_KEYWORD }, { "while", NL_TOK_KEYWORD },
  { "with", NL_TOK_KEYWORD }, { "yield", NL_TOK_KEYWORD },
};

static NlTokKind
name_kind (const char *s, guint len)
{
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (strlen (keywords[i].word) == len && memcmp (keywords[i].word, s, len) == 0)
      return keywords[i].kind;
  return NL_TOK_NAME;
}

gboolean
nl_expr_lex (NlLexer *lx, NlToken *tok, GError **error, guint *error_offset)
{
  const char *s = lx->src;
  guint len = lx->len;
  guint p = lx->pos;
  NlTokKind kind;
  guint n = 1;
  char c;

  for (;;)
    {
      while (p < len && strchr (" \t\n\r\f\v", s[p]) != NULL)
        p++;
      if (p < len && s[p] == '#')
        {
          while (p < len && s[p] != '\n')
            p++;
          continue;
        }
      break;
    }

  tok->start = p;
  tok->num = 0.0;
  if (p >= len)
    {
      tok->kind = NL_TOK_END;
      tok->len = 0;
      lx->pos = p;
      return TRUE;
    }

  c = s[p];
  if (is_digit ((guchar) c) || (c == '.' && p + 1 < len && is_digit ((guchar) s[p + 1])))
    {
      lx->pos = p;
      return lex_number (lx, tok, error, error_offset);
    }
  if (is_ident_start ((guchar) c))
    {
      guint q = p + 1;
      while (q < len && is_ident ((guchar) s[q]))
        q++;
      tok->kind = name_kind (s + p, q - p);
      tok->len = q - p;
      lx->pos = q;
      return TRUE;
    }

#define NEXT_IS(ch) (p + 1 < len && s[p + 1] == (ch))
#define NEXT2_IS(ch1, ch2) (p + 2 < len && s[p + 1] == (ch1) && s[p + 2] == (ch2))
  switch (c)
    {
    case '(': kind = NL_TOK_LPAR; break;
    case ')': kind = NL_TOK_RPAR; break;
    case ',': kind = NL_TOK_COMMA; break;
    case '.': kind = NL_TOK_DOT; break;
    case '[': kind = NL_TOK_LBRACKET; break;
    case ']': kind = NL_TOK_RBRACKET; break;
    case '{': kind = NL_TOK_LBRACE; break;
    case '}': kind = NL_TOK_RBRACE; break;
    case ';': kind = NL_TOK_SEMI; break;
    case '+':
      kind = NEXT_IS ('=') ? (n = 2, NL_TOK_ASSIGN) : NL_TOK_PLUS;
      break;
    case '-':
      if (NEXT_IS ('='))
        kind = NL_TOK_ASSIGN, n = 2;
      else if (NEXT_IS ('>'))
        kind = NL_TOK_ARROW, n = 2;
      else
        kind = NL_TOK_MINUS;
      break;
    case '*':
      if (NEXT2_IS ('*', '='))
        kind = NL_TOK_ASSIGN, n = 3;
      else if (NEXT_IS ('*'))
        kind = NL_TOK_DSTAR, n = 2;
      else if (NEXT_IS ('='))
        kind = NL_TOK_ASSIGN, n = 2;
      else
        kind = NL_TOK_STAR;
      break;
    case '/':
      if (NEXT2_IS ('/', '='))
        kind = NL_TOK_ASSIGN, n = 3;
      else if (NEXT_IS ('/'))
        kind = NL_TOK_DSLASH, n = 2;
      else if (NEXT_IS ('='))
        kind = NL_TOK_ASSIGN, n = 2;
      else
        kind = NL_TOK_SLASH;
      break;
    case '%':
      kind = NEXT_IS ('=') ? (n = 2, NL_TOK_ASSIGN) : NL_TOK_PERCENT;
      break;
    case '<':
      if (NEXT2_IS ('<', '='))
        kind = NL_TOK_ASSIGN, n = 3;
      else if (NEXT_IS ('<'))
        kind = NL_TOK_BITOP, n = 2;
      else if (NEXT_IS ('='))
        kind = NL_TOK_LE, n = 2;
      else
        kind = NL_TOK_LT;
      break;
    case '>':
      if (NEXT2_IS ('>', '='))
        kind = NL_TOK_ASSIGN, n = 3;
      else if (NEXT_IS ('>'))
        kind = NL_TOK_BITOP, n = 2;
      else if (NEXT_IS ('='))
        kind = NL_TOK_GE, n = 2;
      else
        kind = NL_TOK_GT;
      break;
    case '=':
      kind = NEXT_IS ('=') ? (n = 2, NL_TOK_EQ) : NL_TOK_ASSIGN;
      break;
    case '!':
      if (!NEXT_IS ('='))
        return lex_fail (error, error_offset, p, NL_EXPR_ERROR_SYNTAX,
                         "unexpected character '!' (use 'not' for negation)");
      kind = NL_TOK_NE, n = 2;
      break;
    case ':':
      kind = NEXT_IS ('=') ? (n = 2, NL_TOK_ASSIGN) : NL_TOK_COLON;
      break;
    case '&': case '|': case '^': case '~': case '@':
      kind = (c != '~' && NEXT_IS ('=')) ? (n = 2, NL_TOK_ASSIGN) : NL_TOK_BITOP;
      break;
    case '\'': case '"':
      return lex_fail (error, error_offset, p, NL_EXPR_ERROR_FORBIDDEN,
                       "strings are not allowed");
    default:
      if ((guchar) c >= 0x80)
        return lex_fail (error, error_offset, p, NL_EXPR_ERROR_SYNTAX,
                         "unexpected non-ASCII character");
      if (g_ascii_isprint (c))
        {
          char msg[40];
          g_snprintf (msg, sizeof msg, "unexpected character '%c'", c);
          return lex_fail (error, error_offset, p, NL_EXPR_ERROR_SYNTAX, msg);
        }
      return lex_fail (error, error_offset, p, NL_EXPR_ERROR_SYNTAX,
                       "unexpected control character");
    }
#undef NEXT_IS
#undef NEXT2_IS

  tok->kind = kind;
  tok->len = n;
  lx->pos = p + n;
  return TRUE;
}
