// Maps of locations of concern: an LPA's boundary (no tile layer, so nothing leaves our origin)
// with the places as coloured markers, and a picker that turns a click into latitude and
// longitude. Every place on a map is also in a table on the page, for people who cannot use it.
//
//   <div class="socex-map" data-location-map data-label="..." data-boundaries="/areas/boundaries/lpas.geojson"
//        data-lpa="E08000030" data-markers="markers-json"></div>          a map of places
//   <div class="socex-map" data-location-map data-picker data-boundaries="..." data-lpa-codes="lpa-codes-json"
//        data-lpa-field="id_lpa" data-latitude-field="id_latitude" data-longitude-field="id_longitude"></div>
(function () {
  "use strict";

  // Key swatches take their colour here (CSSOM), not from a style attribute, which CSP refuses.
  document.querySelectorAll("[data-colour]").forEach((element) => {
    element.style.backgroundColor = element.dataset.colour;
  });
  if (typeof L === "undefined") {
    return;
  }

  const WEST_MIDLANDS = [52.48, -1.9];

  function readJson(id) {
    const element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  async function loadBoundaries(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
    if (!response.ok) {
      throw new Error(`${url}: ${response.status}`);
    }
    return response.json();
  }

  function newMap(element) {
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", element.dataset.label || "Map");
    const map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25 }).setView(WEST_MIDLANDS, 10);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Boundaries: ONS, contains OS data © Crown copyright and database right");
    return map;
  }

  function drawOutline(map, geojson, code, previous) {
    if (previous) {
      map.removeLayer(previous);
    }
    const features = geojson.features.filter((feature) => !code || feature.properties.code === code);
    const layer = L.geoJSON(
      { type: "FeatureCollection", features },
      { interactive: false, style: () => ({ color: "#0b0c0c", weight: 2, fillColor: "#ffffff", fillOpacity: 0.3 }) },
    ).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    }
    return layer;
  }

  async function showPlaces(element) {
    const map = newMap(element);
    const geojson = await loadBoundaries(element.dataset.boundaries);
    drawOutline(map, geojson, element.dataset.lpa, null);
    (readJson(element.dataset.markers) || []).forEach((place) => {
      L.circleMarker([place.lat, place.lng], {
        radius: 7,
        color: "#0b0c0c",
        weight: 1,
        fillColor: place.colour,
        fillOpacity: 0.9,
      })
        .bindTooltip(`${place.name} (${place.kind})`)
        .on("click", () => window.location.assign(place.url))
        .addTo(map);
    });
    element.dataset.markerCount = String((readJson(element.dataset.markers) || []).length);
    element.classList.add("socex-map--ready");
  }

  async function pickPoint(element) {
    const map = newMap(element);
    const geojson = await loadBoundaries(element.dataset.boundaries);
    const codes = readJson(element.dataset.lpaCodes) || {};
    const lpaField = document.getElementById(element.dataset.lpaField);
    const latitude = document.getElementById(element.dataset.latitudeField);
    const longitude = document.getElementById(element.dataset.longitudeField);
    let outline = drawOutline(map, geojson, codes[lpaField && lpaField.value] || null, null);
    let marker = null;

    function place(lat, lng) {
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.circleMarker([lat, lng], { radius: 7, color: "#0b0c0c", weight: 2, fillColor: "#ffdd00", fillOpacity: 1 }).addTo(map);
      }
    }

    function fromFields() {
      const lat = parseFloat(latitude.value);
      const lng = parseFloat(longitude.value);
      if (Number.isFinite(lat) && Number.isFinite(lng)) {
        place(lat, lng);
      }
    }

    map.on("click", (event) => {
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng);
    });
    latitude.addEventListener("change", fromFields);
    longitude.addEventListener("change", fromFields);
    if (lpaField) {
      lpaField.addEventListener("change", () => {
        outline = drawOutline(map, geojson, codes[lpaField.value] || null, outline);
      });
    }
    fromFields();
    element.classList.add("socex-map--ready");
  }

  document.querySelectorAll("[data-location-map]").forEach((element) => {
    const start = "picker" in element.dataset ? pickPoint : showPlaces;
    start(element).catch((error) => {
      element.classList.add("socex-map--failed");
      element.textContent = "The map could not be drawn. Enter the latitude and longitude, or use the table of places.";
      console.error(error);
    });
  });
})();
