#!/bin/sh
# check-po.sh — fails unless a translation is valid and complete.
#
#   check-po.sh LANG.po                 msgfmt --check: format specifiers, plural forms,
#                                       header; no fuzzy and no untranslated message
#   check-po.sh LANG.po SOURCE_ROOT     the same after merging LANG.po into a template
#                                       extracted now from SOURCE_ROOT/po/POTFILES.in (the
#                                       keywords of meson's glib preset), so a string added
#                                       to the sources but not to LANG.po fails too
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 LANG.po [SOURCE_ROOT]" >&2
  exit 2
fi
po=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ $# -eq 2 ]; then
  src=$2
  # A source with translatable strings that POTFILES.in does not list would pass unseen.
  missing=$(cd "$src" && grep -rlE '(^|[^A-Za-z0-9_])(N|C|NC)?_\(|g_dn?gettext|translatable="yes"' \
              --include='*.c' --include='*.ui' --include='*.desktop.in' \
              --include='*.metainfo.xml.in' app/workbench plugins ui 2>/dev/null \
            | sort | while read -r f; do
                grep -qxF "$f" po/POTFILES.in || echo "$f"
              done)
  if [ -n "$missing" ]; then
    echo "translatable strings in files po/POTFILES.in does not list:" >&2
    printf '  %s\n' $missing >&2
    exit 1
  fi
  xgettext --package-name=netloom -D "$src" -f "$src/po/POTFILES.in" -o "$tmp/netloom.pot" \
    --from-code=UTF-8 --add-comments \
    -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kg_dcgettext:2 -kg_dngettext:2,3 -kg_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
    --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
    2>"$tmp/xgettext.log" || { cat "$tmp/xgettext.log" >&2; exit 1; }
  # No fuzzy matching: a new string must show up as untranslated, not as a guess.
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" "$tmp/netloom.pot"
  # Say which messages are missing, so the failure is actionable.
  msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -A1 '^#:' >&2 || true
  po=$tmp/merged.po
fi

# msgfmt prints its statistics on stderr, localised unless LC_ALL=C.
if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
  printf '%s\n' "$stats" >&2
  exit 1
fi
printf '%s: %s\n' "$1" "$stats"
case $stats in
  *fuzzy*|*untranslated*)
    echo "$1: every message must be translated and none fuzzy" >&2
    exit 1
    ;;
esac
translated=$(printf '%s\n' "$stats" | sed -n 's/^\([0-9][0-9]*\) translated message.*/\1/p')
if [ -z "$translated" ] || [ "$translated" -eq 0 ]; then
  echo "$1: no translated message" >&2
  exit 1
fi
