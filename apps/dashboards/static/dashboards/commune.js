/* One commune's map: its boundary, its products (by star) and dossiers (by status). */
(function () {
  "use strict";
  var D = window.OcopDash, config = D.config, i18n = D.i18n;
  var el = document.getElementById("map");
  var status = document.getElementById("map-status");
  var map = D.makeMap(el);
  var legend = D.legendControl().addTo(map);
  legend.getContainer().innerHTML = D.pointsLegend();
  var boundaryUrl = config.provinceUrl + "?" + D.query({ level: "commune", code: config.commune, format: "geojson" });
  status.textContent = i18n.loading;
  var empty = function () { return { type: "FeatureCollection", features: [], failed: true }; };
  var res = [];
  D.getJSON(boundaryUrl).then(function (fc) {
    res.push(fc);
    return D.fetchLayer("products", { unit: config.commune }).catch(empty);
  }).then(function (fc) {
    res.push(fc);
    return D.fetchLayer("dossiers", { unit: config.commune }).catch(empty);
  }).then(function (fc) {
    res.push(fc);
    var boundary = L.geoJSON(res[0], {
      style: { color: "#1b6e3a", weight: 2, fillColor: "#cfe8d6", fillOpacity: 0.35, className: "unit unit-" + config.commune }
    }).addTo(map);
    D.dossierLayer(res[2]).addTo(map);
    D.productLayer(res[1]).addTo(map);
    if (res[0].features && res[0].features.length) { map.fitBounds(boundary.getBounds()); }
    el.dataset.unitCount = String(res[0].features.length);
    el.dataset.productCount = String(res[1].features.length);
    el.dataset.dossierCount = String(res[2].features.length);
    el.dataset.loaded = "1";
    status.textContent = D.fmt(i18n.loaded, { u: res[0].features.length, p: res[1].features.length, d: res[2].features.length }) +
      (res[1].failed || res[2].failed ? " " + i18n.failed : "");
  }).catch(function () { status.textContent = i18n.failed; el.dataset.loaded = "error"; });
})();
