/* Trace maps: the chain of a lot (points joined in time order, numbered), and on the producer's
   lot page a point picker for a new event. Offline Leaflet; the basemap is optional. */
(function () {
  "use strict";
  var el = document.getElementById("trace-map");
  if (!el) { return; }
  var map = L.map(el).setView([10.1, 106.3], 9);
  el.ocopMap = map;  // for tests
  map.attributionControl.setPrefix(false);
  var credits = document.getElementById("map-attributions");
  if (credits) {
    JSON.parse(credits.textContent).forEach(function (a) { map.attributionControl.addAttribution(a); });
  }
  if (el.dataset.basemap) {
    L.tileLayer(el.dataset.basemap, { attribution: el.dataset.basemapAttribution || "" }).addTo(map);
  }
  // Leaflet puts string content into innerHTML: hand it a text node so names stay text.
  var text = function (s) { var span = document.createElement("span"); span.textContent = s; return span; };
  var chain = JSON.parse(document.getElementById("trace-chain").textContent);
  // The communes of the chain as a light backdrop (public reference data of this site), so the
  // map reads without a basemap.
  var backdrop = L.featureGroup().addTo(map);
  var codes = [];
  chain.forEach(function (e) { if (e.commune_code && codes.indexOf(e.commune_code) < 0) { codes.push(e.commune_code); } });
  var loads = codes.map(function (code) {
    var q = new URLSearchParams({ format: "geojson", level: "commune", code: code });
    return fetch(el.dataset.units + "?" + q, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (fc) {
        L.geoJSON(fc, { style: { color: "#8aa397", weight: 1, fillOpacity: 0.08, className: "backdrop" } })
          .bindTooltip(function (layer) { return text(layer.feature.properties.full_name); })
          .addTo(backdrop);
        backdrop.bringToBack();
      }).catch(function () { /* the points still show */ });
  });
  var points = [];
  chain.forEach(function (e, i) {
    var ll = L.latLng(e.lat, e.lon);
    points.push(ll);
    L.circleMarker(ll, { radius: 8, color: "#1b6e3a", fillColor: "#3fa760", fillOpacity: 0.9, className: "trace-point" })
      .bindTooltip(String(i + 1), { permanent: true, direction: "right", offset: [8, 0], className: "trace-number" })
      .bindPopup(text((i + 1) + ". " + e.biz_step_label + " · " + e.party_name + (e.commune_name ? " · " + e.commune_name : "")))
      .addTo(map);
  });
  if (points.length > 1) {
    L.polyline(points, { color: "#1b6e3a", weight: 3, dashArray: "6 6", className: "trace-line" }).addTo(map);
  }
  if (points.length === 1) { map.setView(points[0], 13); }
  else if (points.length > 1) { map.fitBounds(L.latLngBounds(points), { paddingTopLeft: [40, 40], paddingBottomRight: [40, 140] }); }

  // Point picker (producer's lot page): click to place the new event; fills the hidden fields.
  var lon = document.getElementById("id_lon");
  var lat = document.getElementById("id_lat");
  if (lon && lat) {
    var marker = null;
    var place = function (ll) {
      if (marker) { marker.setLatLng(ll); } else {
        marker = L.circleMarker(ll, { radius: 9, color: "#b8860b", fillColor: "#f0c040", fillOpacity: 1, className: "new-point" }).addTo(map);
      }
      lon.value = ll.lng.toFixed(6);
      lat.value = ll.lat.toFixed(6);
      var shown = document.querySelector("[data-testid=picked-point]");
      if (shown) { shown.textContent = ll.lat.toFixed(5) + ", " + ll.lng.toFixed(5); }
    };
    if (lon.value && lat.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
    map.on("click", function (ev) { place(ev.latlng); });
  }
  Promise.all(loads).then(function () { el.dataset.ready = "1"; });
})();
