/* nl-signal-csv.h — multichannel signals from CSV: one column per channel, one row per sample.
 *
 * The input of `netloom analyze psd|morlet|spectrogram|granger|csd` when it is not a results
 * file (CONTRACTS.md "Signals in"). Lines starting with '#' and blank lines are skipped. A
 * first line that is not all numbers is a header: its fields name the channels when there is one
 * per column, otherwise it is taken as a description and channels are named ch0, ch1, … .
 * Fields are separated by commas, or by tabs or semicolons when the first line has no comma. Every row
 * must have the header's number of fields and every field must be a finite number: NaN, Inf,
 * empty fields and ragged rows are errors naming FILE:LINE and the column.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  guint    n_channels;
  guint64  n_samples;
  double  *data;        /* channel-major: channel c is data[c * n_samples .. + n_samples) */
  char   **names;       /* n_channels names, NULL-terminated */
} NlSignals;

NlSignals    *nl_signals_csv_read (const char  *filename,
                                   GError     **error);
/* Same, from text in memory (`display_name` starts error messages). */
NlSignals    *nl_signals_csv_parse (const char *text,
                                    gsize       len,
                                    const char *display_name,
                                    GError    **error);
/* Channel c (no copy). */
const double *nl_signals_channel  (const NlSignals *s,
                                   guint            c);
void          nl_signals_free     (NlSignals   *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSignals, nl_signals_free)

G_END_DECLS
