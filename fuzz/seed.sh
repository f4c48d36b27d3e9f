#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs from tests/data and
# examples/data (libFuzzer adds what it finds to the same folders).
set -euo pipefail
cd "$(dirname "$0")"
data=../tests/data
examples=../examples/data
seed() { # seed TARGET FILE...
    mkdir -p "corpus/$1"
    local target=$1
    shift
    cp "$@" "corpus/$target/"
}
seed vrplib "$data"/cvrplib/X/X-n101-k25.vrp "$data"/cvrplib/X/X-n143-k7.vrp "$data"/bad/*.vrp
seed solomon "$data"/solomon/solomon100/C101.txt "$data"/solomon/solomon100/R201.txt
seed json_problem "$examples"/small.json "$examples"/jiangsu_anhui.json "$data"/bad/*.json
seed json_solution seeds/small_solution.json
seed towns_csv "$data"/osm/north_bayreuth/settlements.csv
head -n 40 "$examples"/cn_jiangsu_anhui.csv > corpus/towns_csv/cn_jiangsu_anhui_head.csv
seed sol "$data"/cvrplib/X/X-n101-k25.sol
# The road target reads nodes.csv, a NUL byte, then edges.csv.
mkdir -p corpus/road_csv
{ cat "$data"/bad/disconnected/nodes.csv; printf '\0'; cat "$data"/bad/disconnected/edges.csv; } \
    > corpus/road_csv/disconnected
{ head -n 200 "$data"/osm/north_bayreuth/nodes.csv; printf '\0'; head -n 200 "$data"/osm/north_bayreuth/edges.csv; } \
    > corpus/road_csv/north_bayreuth_head
seed osm_pbf "$data"/osm/north-bayreuth.osm.pbf
