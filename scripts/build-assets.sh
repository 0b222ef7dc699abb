#!/usr/bin/env bash
# Copies the pinned front-end packages from node_modules into static files and compiles
# the Sass. Nothing it writes is committed (socex/static/build is git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
out=socex/static/build
rm -rf "$out"
mkdir -p "$out/govuk" "$out/moj/assets" "$out/htmx" "$out/css" "$out/cytoscape" "$out/leaflet"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/"
cp -r node_modules/govuk-frontend/dist/govuk/assets/images "$out/moj/assets/"
cp -r node_modules/@ministryofjustice/frontend/moj/assets/images/. "$out/moj/assets/images/"
cp node_modules/@ministryofjustice/frontend/moj/all.bundle.mjs "$out/moj/moj-frontend.mjs"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/cytoscape/dist/cytoscape.min.js "$out/cytoscape/"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp -r node_modules/leaflet/dist/images "$out/leaflet/"
node_modules/.bin/sass --pkg-importer=node --load-path=. --style=compressed --no-source-map \
  --quiet-deps --silence-deprecation=import frontend/scss/app.scss "$out/css/app.css" 2>/dev/null \
  || node_modules/.bin/sass --pkg-importer=node --load-path=. --style=compressed --no-source-map \
       --quiet-deps frontend/scss/app.scss "$out/css/app.css"
echo "Front-end assets built in $out"
