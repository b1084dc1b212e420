/* The indicator's map: the regions' shapes (one GeoJSON for every indicator and period, kept by
   the browser) coloured by the chosen period's approved values, which the page carries beside
   the table of the same figures. The tile layer MAP_TILE_URL names is dropped quietly when its
   tiles fail: the regions orient the reader without it. Each region's shape carries its code,
   its value and a label for assistive technology; the table is the keyboard's way to the
   figures. */
(function () {
  "use strict";

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function draw(el, data, shapes) {
    var byCode = {};
    data.regions.forEach(function (r) { byCode[r.code] = r; });
    var tiles = el.getAttribute("data-tiles");
    var map = L.map(el, { attributionControl: !!tiles, zoomSnap: 0.25, scrollWheelZoom: false });
    if (tiles) {
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(el.getAttribute("data-attribution") || "");
      var loaded = 0, failed = 0;
      var tileLayer = L.tileLayer(tiles, { maxZoom: 12 }).addTo(map);
      tileLayer.on("tileload", function () { loaded += 1; });
      tileLayer.on("tileerror", function () {
        failed += 1;
        if (!loaded && failed >= 4 && map.hasLayer(tileLayer)) { map.removeLayer(tileLayer); }
      });
    }
    var layer = L.geoJSON(shapes, {
      // Only the regions of the period (a gone region is drawn for its own years only).
      filter: function (feature) { return !!byCode[feature.properties.code]; },
      style: function (feature) {
        var r = byCode[feature.properties.code];
        return {
          color: "#37474f",
          weight: 1,
          dashArray: r.reported ? null : "4 3",
          fillColor: r.colour || data.no_value,
          fillOpacity: 0.85
        };
      },
      onEachFeature: function (feature, shape) {
        var r = byCode[feature.properties.code];
        shape.bindTooltip(
          "<strong>" + escapeHtml(r.name) + "</strong><br>" + escapeHtml(r.text) +
          "<br><em>" + escapeHtml(r.state) + "</em>",
          { sticky: true }
        );
        shape.on("add", function () {
          var path = shape.getElement && shape.getElement();
          if (path) {
            path.setAttribute("data-region", r.code);
            path.setAttribute("data-value", r.value === null ? "" : r.value);
            path.setAttribute("role", "img");
            path.setAttribute("aria-label", r.name + ": " + r.text + " (" + r.state + ")");
          }
        });
        shape.on("mouseover", function () { shape.setStyle({ weight: 3 }); });
        shape.on("mouseout", function () { shape.setStyle({ weight: 1 }); });
      }
    }).addTo(map);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds());
    } else {
      map.setView([48, 67], 4);
    }
    el.setAttribute("data-ready", String(layer.getLayers().length));
  }

  function init() {
    var el = document.getElementById("indicator-map");
    var source = document.getElementById("indicator-map-data");
    if (!el || !source || typeof L === "undefined" || !window.fetch) {
      return;
    }
    var data = JSON.parse(source.textContent);
    fetch(el.getAttribute("data-shapes"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("shapes: " + response.status); }
        return response.json();
      })
      .then(function (shapes) { draw(el, data, shapes); })
      .catch(function () { el.setAttribute("data-ready", "0"); el.hidden = true; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
