/* The map shell: provinces + the pilot province's communes (or districts before 2025). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var i18n = JSON.parse(document.getElementById("map-i18n").textContent);
  var attributions = JSON.parse(document.getElementById("map-attributions").textContent);
  var status = document.getElementById("map-status");

  var map = L.map(el, { preferCanvas: false }).setView([10.1, 106.3], 9);
  map.attributionControl.setPrefix(false);
  attributions.forEach(function (a) { map.attributionControl.addAttribution(a); });
  if (el.dataset.basemap) {
    L.tileLayer(el.dataset.basemap, { attribution: el.dataset.basemapAttribution || "" }).addTo(map);
  }

  var provinceStyle = { color: "#52606d", weight: 1, fillColor: "#f4f1e8", fillOpacity: 0.6 };
  var unitStyle = { color: "#1b6e3a", weight: 1, fillColor: "#cfe8d6", fillOpacity: 0.55 };
  var layers = L.layerGroup().addTo(map);
  var control = null;

  function fetchAll(params) {
    var url = el.dataset.api + "?" + new URLSearchParams(Object.assign({ format: "geojson", page_size: 1000 }, params));
    var features = [];
    function next(u) {
      return fetch(u, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (fc) {
          features = features.concat(fc.features);
          return fc.next ? next(fc.next) : { type: "FeatureCollection", features: features };
        });
    }
    return next(url);
  }

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function popup(f) {
    var p = f.properties;
    return "<strong>" + esc(p.full_name) + "</strong><br>" + esc(p.code) +
      (p.valid_to ? " · ≤ " + esc(p.valid_to) : "");
  }

  function draw(era) {
    layers.clearLayers();
    if (control) { map.removeControl(control); }
    status.textContent = i18n.loading;
    var pre = era === "pre2025";
    var day = pre ? el.dataset.preDay : "";
    var base = day ? { valid_on: day } : {};
    var unitParams = pre
      ? Object.assign({ level: "district", parent: el.dataset.pilotPre2025 }, base)
      : Object.assign({ level: "commune", parent: el.dataset.pilot }, base);
    Promise.all([fetchAll(Object.assign({ level: "province" }, base)), fetchAll(unitParams)])
      .then(function (res) {
        var bind = function (f, l) { l.bindPopup(popup(f)); };
        var styled = function (style) {
          return function (f) { return Object.assign({ className: "unit-" + f.properties.level }, style); };
        };
        var provinces = L.geoJSON(res[0], { style: styled(provinceStyle), onEachFeature: bind });
        var units = L.geoJSON(res[1], { style: styled(unitStyle), onEachFeature: bind });
        provinces.addTo(layers);
        units.addTo(layers);
        var overlays = {};
        overlays[i18n.provinces] = provinces;
        overlays[pre ? i18n.districts : i18n.communes] = units;
        control = L.control.layers(null, overlays, { collapsed: false }).addTo(map);
        if (res[1].features.length) { map.fitBounds(units.getBounds()); }
        status.textContent = i18n.loaded.replace("{p}", res[0].features.length).replace("{c}", res[1].features.length) +
          (pre ? " " + i18n.noCommunesPre2025 : "");
        el.dataset.loaded = era;
        el.dataset.unitCount = String(res[1].features.length);
        el.dataset.provinceCount = String(res[0].features.length);
      })
      .catch(function () { status.textContent = i18n.failed; el.dataset.loaded = "error"; });
  }

  document.querySelectorAll("input[name=era]").forEach(function (r) {
    r.addEventListener("change", function () { draw(r.value); });
  });
  draw("current");
})();
