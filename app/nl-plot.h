/* nl-plot.h — the figures NetPyNE's simConfig.analysis asks for, written by `netloom run`. */
#pragma once

#include <nl-network.h>
#include <nl-results.h>
#include <nl-spec.h>

G_BEGIN_DECLS

/* For each entry of simConfig.analysis NetLoom draws (plotRaster, plotSpikeHist, plotTraces,
 * plotSpikeStats, plotRatePSD, plot2Dnet, plotConn, granger, nTE) whose saveFig is true or a
 * file name: the figure, named as NetPyNE names it (FILENAME_raster.png …). A figure that
 * cannot be drawn is a warning on stderr, not a failure. Paths written are appended. */
gboolean nl_plot_run_analysis (NlSpec     *spec,
                               NlNetwork  *net,
                               NlResults  *res,
                               GPtrArray  *written,
                               GError    **error);

G_END_DECLS
