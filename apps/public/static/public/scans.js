/* The scan map: one circle per 0.1° cell, sized by the number of scans, red when some were of
   revoked or expired products. Data embedded in the page. */
(function () {
  "use strict";
  var el = document.getElementById("scan-map");
  var dataEl = document.getElementById("scan-data");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var map = L.map(el).setView([10.1, 106.3], 8);
  map.attributionControl.setPrefix(false);
  (data.attributions || []).forEach(function (a) { map.attributionControl.addAttribution(a); });
  if (data.basemap) { L.tileLayer(data.basemap, { attribution: data.basemapAttribution || "" }).addTo(map); }
  function esc(v) { return String(v == null ? "" : v).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  var layer = L.geoJSON(data.places, {
    pointToLayer: function (f, latlng) {
      var p = f.properties;
      return L.circleMarker(latlng, { radius: 5 + Math.sqrt(p.scans) * 3, color: p.flagged ? "#b3121b" : "#1b6e3a", fillOpacity: 0.5, weight: 2 });
    },
    onEachFeature: function (f, l) {
      var p = f.properties;
      l.bindPopup("<strong>" + esc(p.scans) + "</strong> · " + (p.flagged ? "<span style='color:#b3121b'>" + esc(p.flagged) + " ✗</span><br>" : "<br>") + (p.products || []).map(esc).join("<br>"));
    }
  }).addTo(map);
  var b = layer.getBounds();
  if (b.isValid()) { map.fitBounds(b, { padding: [20, 20], maxZoom: 10 }); }
})();
