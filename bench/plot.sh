#!/bin/sh
# bench/plot.sh CDF_FILE OUT.png [SUBTITLE]
#
# Draws the round-trip latency distributions grite-bench wrote with
# --cdf CDF_FILE: on the left the CDF (latency on a log axis), on the right
# the tail (latency at each percentile up to p99.99), one line per row.
# Needs gnuplot (Debian: gnuplot-nox).
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 CDF_FILE OUT.png [SUBTITLE]" >&2
    exit 2
fi
data=$1
out=$2
subtitle=${3:-}
if [ ! -s "$data" ]; then
    echo "plot.sh: $data is missing or empty (run grite-bench --cdf $data)" >&2
    exit 1
fi
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }
# One block per row, each starting with its header line.
blocks=$(grep -c '^quantile ' "$data" || true)
if [ "$blocks" -eq 0 ]; then
    echo "plot.sh: no latency distributions in $data" >&2
    exit 1
fi

gnuplot <<GNUPLOT
set terminal pngcairo size 1400,620 font "DejaVu Sans,11" noenhanced
set output "$out"
blocks = $blocks
# Colours follow the order grite-bench writes the blocks in: grite,
# grite-transport, limit (black, dashed: the reference), json-uds,
# json-http, cold.
set linetype 1 lc rgb "#7b2cbf" lw 2.5
set linetype 2 lc rgb "#2a9d8f" lw 1.5
set linetype 3 lc rgb "#000000" lw 2 dt 2
set linetype 4 lc rgb "#f77f00" lw 2
set linetype 5 lc rgb "#d62828" lw 2
set linetype 6 lc rgb "#8d99ae" lw 2
# The CDF panel spans the fastest sample to twice the slowest p99; the tail
# axis ends at the decade past the deepest percentile measured.
stats "$data" using 2 nooutput
fastest = STATS_min
stats "$data" using ((\$1 <= 0.99) ? \$2 : 1/0) nooutput
body_end = 2 * STATS_max
stats "$data" using 1 nooutput
tail_end = 10**ceil(log10(1.0 / (1.0 - STATS_max)))
set key bottom right box opaque
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set logscale x
set multiplot layout 1,2 title "grite-ipc round trips over a Unix socket (REQ/RESP of bench-workload.md)\n$subtitle"

set title "CDF: share of round trips faster than x (body, up to p99)"
set xlabel "round-trip latency (us, log scale)"
set ylabel "fraction of round trips"
set xrange [fastest / 1.3 : body_end]
set yrange [0:1]
set ytics 0.1
plot for [i=0:blocks-1] "$data" index i using 2:1 with lines lt (i + 1) title columnheader(2)

set title "Tail: latency at each percentile"
set xlabel "percentile"
set ylabel "round-trip latency (us, log scale)"
set logscale y
set yrange [fastest / 1.3 : *]
set ytics auto
set key top left
set xrange [1:tail_end]
set xtics ("50%%" 2, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000, "99.999%%" 100000, "99.9999%%" 1000000)
plot for [i=0:blocks-1] "$data" index i using (1/(1-\$1)):2 with lines lt (i + 1) title columnheader(2)
unset multiplot
GNUPLOT
echo "plot.sh: wrote $out"
