#!/usr/bin/env bash
# Fetch MovieLens ml-latest-small into the GroupLens CSV layout.
#
# The only registries reachable from our machines are package registries, so the data comes from
# Debian's r-cran-dslabs, whose `movielens` data frame is ml-latest-small (100,004 ratings).
# We export it with Rscript into the layout GroupLens publishes, so the same reader handles
# this copy and a real GroupLens download:
#   <out>/movies.csv   movieId,title,genres      (title "Toy Story (1995)", genres "A|B")
#   <out>/ratings.csv  userId,movieId,rating,timestamp
#
# Usage: seeds/movielens/fetch-movielens.sh [OUT_DIR]
#   OUT_DIR defaults to <repo>/.data/movielens/ml-latest-small
# Idempotent: if both files exist and the rating count checks out, nothing is done.
set -euo pipefail

EXPECTED_RATINGS=100004
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$repo/.data/movielens/ml-latest-small}"

log() { printf '[fetch-movielens] %s\n' "$*"; }

# Data rows = lines minus the header. wc counts newlines; both files end with one.
count_ratings() { echo $(( $(wc -l < "$1") - 1 )); }

if [[ -s "$out/movies.csv" && -s "$out/ratings.csv" ]]; then
  n="$(count_ratings "$out/ratings.csv")"
  if [[ "$n" == "$EXPECTED_RATINGS" ]]; then
    log "already present: $out ($n ratings); nothing to do"
    exit 0
  fi
  log "found $out but ratings.csv has $n rows (expected $EXPECTED_RATINGS); exporting again"
fi

start=$(date +%s)

# dslabs.rda ships in the package's data dir; checking for it (not just Rscript) catches a machine
# with R but without the package.
dslabs_installed() {
  command -v Rscript >/dev/null 2>&1 && Rscript -e 'quit(status = if (requireNamespace("dslabs", quietly = TRUE)) 0 else 1)' >/dev/null 2>&1
}

if ! dslabs_installed; then
  if [[ "$(id -u)" != "0" ]]; then
    log "r-cran-dslabs is not installed and this is not root; run as root or: apt-get install r-cran-dslabs"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  log "apt-get update"
  apt-get update -qq
  # --no-install-recommends keeps this to R's core; the data frame needs nothing else.
  log "apt-get install r-base-core r-cran-dslabs (no recommends)"
  apt-get install -y -qq --no-install-recommends r-base-core r-cran-dslabs >/dev/null
  dslabs_installed || { log "dslabs still not loadable after install"; exit 1; }
fi
log "dslabs available ($(( $(date +%s) - start )) s)"

mkdir -p "$out"
tmp="$(mktemp -d "$out/.export.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

log "exporting with Rscript to $out"
# A UTF-8 locale keeps accented titles ("Cité des enfants perdus") byte-exact whatever the caller's locale.
LC_ALL=C.UTF-8 Rscript --vanilla - "$tmp" <<'RSCRIPT'
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
data("movielens", package = "dslabs", envir = environment())
ml <- movielens

# GroupLens quotes a field only when it holds a comma, a quote or a line break; doubled quotes inside.
csv_field <- function(x) {
  x <- enc2utf8(as.character(x))
  needs <- grepl('[",\r\n]', x)
  x[needs] <- paste0('"', gsub('"', '""', x[needs], fixed = TRUE), '"')
  x
}

movies <- unique(ml[, c("movieId", "title", "year", "genres")])
movies <- movies[!duplicated(movies$movieId), ]
movies <- movies[order(movies$movieId), ]
# dslabs split the year off the title; GroupLens keeps it in the title. Five movies lost their title
# in dslabs (their original title had no plain year); they are written with an empty title and the
# reader names them by id rather than inventing one here.
base <- ifelse(is.na(movies$title), "", as.character(movies$title))
title <- ifelse(is.na(movies$year), base, paste0(base, " (", movies$year, ")"))
movie_lines <- paste(movies$movieId, csv_field(title), csv_field(movies$genres), sep = ",")
con <- file(file.path(dir, "movies.csv"), open = "w", encoding = "UTF-8")
writeLines(c("movieId,title,genres", movie_lines), con)
close(con)

r <- ml[order(ml$userId, ml$movieId), ]
rating_lines <- sprintf("%d,%d,%.1f,%.0f", as.integer(r$userId), as.integer(r$movieId), r$rating, as.numeric(r$timestamp))
con <- file(file.path(dir, "ratings.csv"), open = "w")
writeLines(c("userId,movieId,rating,timestamp", rating_lines), con)
close(con)
cat(sprintf("movies %d, ratings %d, users %d\n", nrow(movies), nrow(r), length(unique(r$userId))))
RSCRIPT

n="$(count_ratings "$tmp/ratings.csv")"
if [[ "$n" != "$EXPECTED_RATINGS" ]]; then
  log "ratings.csv has $n rows, expected $EXPECTED_RATINGS; leaving $out untouched"
  exit 1
fi
# Move into place only after the check, so a half-written export never looks complete.
mv -f "$tmp/movies.csv" "$out/movies.csv"
mv -f "$tmp/ratings.csv" "$out/ratings.csv"
log "done: $(( $(wc -l < "$out/movies.csv") - 1 )) movies, $n ratings in $out ($(( $(date +%s) - start )) s)"
