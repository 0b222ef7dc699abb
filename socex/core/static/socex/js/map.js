// A reusable Leaflet map of boundaries, with an optional choropleth and points. No tile layer:
// everything comes from our own origin, so the map works offline and under CSP 'self'.
//
// Load leaflet/leaflet.css, leaflet/leaflet.js and this file, then mark up a container:
//
//   <div id="crime-map" class="socex-map" data-socex-map
//        data-label="Map of ..."                    accessible name of the map region
//        data-boundaries="/areas/boundaries/lsoas.geojson?lpa=E08000030"   (required)
//        data-outline="/areas/boundaries/lpas.geojson"   optional, drawn on top, no fill
//        data-key="code"                            feature property joining values (default code)
//        data-values="values-json"                  id of a json_script element {code: {prop: n}}
//        data-values-url="..."                      ... or a URL giving the same
//        data-property="rate"                       value property to colour by (choropleth)
//        data-legend-title="Crimes per 1,000"       legend caption
//        data-breaks="1,2,3"                        optional class breaks (else quintiles)
//        data-palette="sequential|diverging"        diverging: centred on 0 (e.g. z-scores)
//        data-labels="Most deprived|...|Least"      optional legend labels, one per class
//        data-points="points-json"                  id of a json_script element [{lat, lng, label}]
//        data-points-url="..."                      ... or a URL giving the same
//        data-link="/analytics/lsoa/{code}/"        optional: clicking an area opens this URL
//        data-legend="crime-map-legend">            optional id of an element to hold the legend
//   </div>
//
// Radios with data-map-target="<map id>" and data-property / data-legend-title / data-breaks /
// data-palette / data-labels switch what the map colours by.
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }

  const SEQUENTIAL = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"];
  const DIVERGING = ["#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b"];
  const DECILES = [
    "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7",
    "#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061",
  ];
  const NO_DATA = "#d9d9d9";

  function readJson(id) {
    const element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  async function load(id, url) {
    const inline = readJson(id);
    if (inline !== null) {
      return inline;
    }
    if (!url) {
      return null;
    }
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`${url}: ${response.status}`);
    }
    return response.json();
  }

  function numberFormat(value) {
    return Number.isInteger(value) ? value.toLocaleString("en-GB") : value.toLocaleString("en-GB", { maximumFractionDigits: 2 });
  }

  function quantileBreaks(values, classes) {
    const sorted = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
    if (!sorted.length) {
      return [];
    }
    const breaks = [];
    for (let i = 1; i < classes; i += 1) {
      const value = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))];
      if (!breaks.length || value > breaks[breaks.length - 1]) {
        breaks.push(value);
      }
    }
    return breaks;
  }

  // A scheme: breaks b0 < b1 < ...; class i holds values below b_i (the last, values >= the last break).
  function scheme(options, values) {
    let breaks = options.breaks ? options.breaks.split(",").map(Number) : null;
    let colours;
    if (options.palette === "deciles") {
      colours = DECILES;
      breaks = breaks || [2, 3, 4, 5, 6, 7, 8, 9, 10];
    } else if (options.palette === "diverging") {
      colours = DIVERGING;
      breaks = breaks || [-2.58, -1.96, 1.96, 2.58];
    } else {
      colours = SEQUENTIAL;
      breaks = breaks || quantileBreaks(values, SEQUENTIAL.length);
      colours = SEQUENTIAL.slice(SEQUENTIAL.length - breaks.length - 1);
    }
    const labels = options.labels ? options.labels.split("|") : null;
    return { breaks, colours, labels };
  }

  function colourFor(current, value) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return NO_DATA;
    }
    let index = current.breaks.findIndex((b) => value < b);
    if (index === -1) {
      index = current.breaks.length;
    }
    return current.colours[Math.min(index, current.colours.length - 1)];
  }

  function legendHtml(title, current) {
    const list = document.createElement("div");
    list.className = "socex-map-legend";
    const heading = document.createElement("p");
    heading.className = "govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1";
    heading.textContent = title || "Key";
    list.appendChild(heading);
    const ul = document.createElement("ul");
    ul.className = "govuk-list govuk-body-s";
    current.colours.forEach((colour, i) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "socex-map-legend__swatch";
      swatch.style.backgroundColor = colour; // CSSOM, allowed under CSP (not a style attribute in markup)
      swatch.setAttribute("aria-hidden", "true");
      li.appendChild(swatch);
      let text;
      if (current.labels && current.labels[i]) {
        text = current.labels[i];
      } else if (i === 0) {
        text = `below ${numberFormat(current.breaks[0])}`;
      } else if (i === current.breaks.length) {
        text = `${numberFormat(current.breaks[i - 1])} or more`;
      } else {
        text = `${numberFormat(current.breaks[i - 1])} to under ${numberFormat(current.breaks[i])}`;
      }
      li.appendChild(document.createTextNode(` ${text}`));
      ul.appendChild(li);
    });
    const none = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "socex-map-legend__swatch";
    swatch.style.backgroundColor = NO_DATA;
    swatch.setAttribute("aria-hidden", "true");
    none.appendChild(swatch);
    none.appendChild(document.createTextNode(" no figure"));
    ul.appendChild(none);
    list.appendChild(ul);
    return list;
  }

  async function initMap(element) {
    const data = element.dataset;
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", data.label || "Map");
    const map = L.map(element, { zoomSnap: 0.25, attributionControl: true, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Contains OS data © Crown copyright and database right; ONS, OGL v3.0");
    const key = data.key || "code";
    const [geojson, values, points, outline] = await Promise.all([
      load(null, data.boundaries),
      load(data.values, data.valuesUrl),
      load(data.points, data.pointsUrl),
      load(null, data.outline),
    ]);
    const state = {
      property: data.property || null,
      options: { breaks: data.breaks, palette: data.palette, labels: data.labels },
      title: data.legendTitle,
    };
    let current = null;

    function valueOf(feature) {
      const row = values && values[feature.properties[key]];
      return row && state.property ? row[state.property] : undefined;
    }

    function style(feature) {
      const colour = state.property ? colourFor(current, valueOf(feature)) : "#ffffff";
      return { color: "#505a5f", weight: 0.6, fillColor: colour, fillOpacity: state.property ? 0.8 : 0.1 };
    }

    function recolour() {
      if (state.property) {
        const all = values ? Object.values(values).map((row) => row[state.property]) : [];
        current = scheme(state.options, all);
      }
      layer.setStyle(style);
      const target = data.legend ? document.getElementById(data.legend) : null;
      if (target) {
        target.replaceChildren(state.property ? legendHtml(state.title, current) : document.createTextNode(""));
      }
    }

    const layer = L.geoJSON(geojson, {
      style: () => ({ color: "#505a5f", weight: 0.6, fillOpacity: 0.1 }),
      onEachFeature(feature, featureLayer) {
        featureLayer.bindTooltip(() => {
          const value = valueOf(feature);
          const name = feature.properties.name || feature.properties[key];
          return typeof value === "number" ? `${name}: ${numberFormat(value)}` : name;
        }, { sticky: true });
        if (data.link) {
          featureLayer.on("click", () => {
            window.location.assign(data.link.replace("{code}", encodeURIComponent(feature.properties[key])));
          });
        }
      },
    }).addTo(map);
    if (outline) {
      L.geoJSON(outline, { interactive: false, style: () => ({ color: "#0b0c0c", weight: 2, fill: false }) }).addTo(map);
    }
    if (Array.isArray(points)) {
      points.forEach((point) => {
        L.circleMarker([point.lat, point.lng], { radius: 4, color: "#0b0c0c", weight: 1, fillColor: "#ffdd00", fillOpacity: 0.9 })
          .bindTooltip(point.label || "")
          .addTo(map);
      });
    }
    const bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    }
    recolour();

    document.querySelectorAll(`[data-map-target="${element.id}"]`).forEach((control) => {
      control.addEventListener("change", () => {
        if (!control.checked) {
          return;
        }
        state.property = control.dataset.property || null;
        state.title = control.dataset.legendTitle || state.title;
        state.options = { breaks: control.dataset.breaks, palette: control.dataset.palette, labels: control.dataset.labels };
        recolour();
      });
    });
    element.classList.add("socex-map--ready");
    element.dataset.featureCount = String(geojson && geojson.features ? geojson.features.length : 0);
  }

  document.querySelectorAll("[data-socex-map]").forEach((element) => {
    initMap(element).catch((error) => {
      element.classList.add("socex-map--failed");
      element.textContent = "The map could not be drawn. The table on this page has the same figures.";
      console.error(error);
    });
  });
})();
