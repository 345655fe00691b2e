/* The public product page: the origin map (commune + production area, from GeoJSON embedded in
   the page, no request) and the optional, coarse location share. */
(function () {
  "use strict";

  function originMap() {
    var holder = document.getElementById("origin-map");
    var dataEl = document.getElementById("origin-data");
    if (!holder || !dataEl || typeof L === "undefined") { return; }
    var data = JSON.parse(dataEl.textContent);
    // The attributions are printed under the map (a 220 px map has no room for them).
    var map = L.map(holder, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false,
      zoomControl: true, attributionControl: false });
    if (data.basemap) {
      L.tileLayer(data.basemap).addTo(map);
    }
    var group = L.featureGroup().addTo(map);
    // Leaflet puts a string tooltip into innerHTML: names go in as text nodes, never as markup.
    var text = function (s) { var span = document.createElement("span"); span.textContent = s; return span; };
    if (data.commune) {
      L.geoJSON(JSON.parse(data.commune), { style: { color: "#1b6e3a", weight: 2, fillColor: "#cfe8d6", fillOpacity: 0.45 } })
        .bindTooltip(text(data.communeName || "")).addTo(group);
    }
    (data.areas || []).forEach(function (a) {
      if (!a.geojson) { return; }
      L.geoJSON(JSON.parse(a.geojson), { style: { color: "#b26a00", weight: 2, fillColor: "#f3c77a", fillOpacity: 0.6 } })
        .bindTooltip(text(a.name + " (" + a.hectares + " ha)")).addTo(group);
    });
    var bounds = group.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); } else { map.setView([10.1, 106.3], 9); }
  }

  function share() {
    var button = document.getElementById("share-location");
    var out = document.getElementById("share-status");
    var dataEl = document.getElementById("share-data");
    if (!button || !dataEl) { return; }
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    var data = JSON.parse(dataEl.textContent);
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        // Rounded here already: the precise position never leaves the phone.
        var body = { code: data.code, gtin: data.gtin, lot: data.lot,
          lat: Math.round(pos.coords.latitude * 10) / 10, lon: Math.round(pos.coords.longitude * 10) / 10 };
        fetch(data.endpoint, { method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
          .then(function (r) { out.textContent = r.ok ? button.dataset.done : button.dataset.failed; })
          .catch(function () { out.textContent = button.dataset.failed; button.disabled = false; });
      }, function () { out.textContent = button.dataset.failed; button.disabled = false; },
      { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 });
    });
  }

  originMap();
  share();
})();
