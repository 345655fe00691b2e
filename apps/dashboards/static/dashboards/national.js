/* The ministry's national view: the provinces in force, coloured by an OCOP indicator read from
   the administrative-units layer ("admin-units", level=province), with each province's counts in its popup. */
(function () {
  "use strict";
  var D = window.OcopDash, config = D.config, i18n = D.i18n;
  var el = document.getElementById("map");
  var status = document.getElementById("map-status");
  var select = document.getElementById("indicator");
  var map = D.makeMap(el).setView([16.0, 106.0], 5);
  var legend = D.legendControl().addTo(map);
  var layer = null, features = [];

  config.indicators.forEach(function (ind) {
    var o = document.createElement("option");
    o.value = ind.id; o.textContent = ind.title;
    select.appendChild(o);
  });

  function popup(p) {
    var lines = config.indicators.map(function (ind) {
      return "<tr><td>" + D.esc(ind.title) + "</td><td>" + (p[ind.id] || 0) + "</td></tr>";
    }).join("");
    return "<strong>" + D.esc(p.full_name || p.name) + "</strong> <small>" + D.esc(p.code) + "</small>" +
      '<table class="popup-table">' + lines + "</table>";
  }

  function restyle() {
    if (!layer) { return; }
    var key = select.value;
    var bks = D.breaks(features.map(function (f) { return f.properties[key] || 0; }));
    layer.eachLayer(function (l) {
      var v = l.feature.properties[key] || 0;
      l.setStyle({ fillColor: D.colour(v, bks) });
      l.setTooltipContent(D.esc(l.feature.properties.name) + ": " + v);
    });
    el.dataset.indicator = key;
    var title = select.options[select.selectedIndex].textContent;
    legend.getContainer().innerHTML = "<strong>" + D.esc(title) + "</strong>" + D.legendRows(bks);
  }

  el.dataset.state = "loading";
  status.textContent = i18n.loading;
  D.fetchLayer("admin-units", { level: "province" })
    .then(function (fc) {
      features = fc.features;
      layer = L.geoJSON(fc, {
        style: function (f) {
          return { color: "#3d4b45", weight: 0.8, fillOpacity: 0.75, fillColor: D.ZERO, className: "unit unit-" + f.properties.code };
        },
        onEachFeature: function (f, l) { l.bindTooltip(D.esc(f.properties.name)); l.bindPopup(popup(f.properties)); }
      }).addTo(map);
      if (features.length) { map.fitBounds(layer.getBounds()); }
      restyle();
      status.textContent = "";
      el.dataset.state = "ok";
      el.dataset.count = String(features.length);
    })
    .catch(function () {
      status.textContent = i18n.failed;
      el.dataset.state = "error";
    });
  select.addEventListener("change", restyle);
})();
