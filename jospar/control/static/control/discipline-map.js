/* The discipline map: regions drawn from their stored boundaries, coloured by the share of
   obligations met on time. The page carries the regions' figures; their shapes, the same for
   every page and reader, come from their own address, which the browser keeps a day. The map
   is drawn over the tile layer MAP_TILE_URL names (dropped quietly when its
   tiles fail: the regions need none). A region gone by the period's end shows its figures
   under the region that continues it. The page's table of regions carries the same figures
   for those who do not use the map. */
(function () {
  "use strict";
  var COLOURS = { good: "#2e7d32", fair: "#9ccc65", poor: "#f9a825", bad: "#c62828", none: "#cfd8dc" };

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function tooltip(p, text) {
    var lines = ["<strong>" + escapeHtml(p.name) + "</strong>"];
    if (p.counted) {
      lines.push(escapeHtml(p.percent_text + " " + text.onTime + " (" + p.on_time + " / " + p.counted + ")"));
      lines.push(escapeHtml(text.overdue + ": " + p.overdue));
      if (p.average_delay_days !== null) {
        lines.push(escapeHtml(text.delay + ": " + p.average_delay_text));
      }
    } else {
      lines.push(escapeHtml(text.noData));
    }
    if (p.includes && p.includes.length) {
      lines.push("<em>" + escapeHtml(text.includes + ": " + p.includes.join(", ")) + "</em>");
    }
    return lines.join("<br>");
  }

  function init() {
    var el = document.getElementById("discipline-map");
    var source = document.getElementById("discipline-map-data");
    if (!el || !source || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var text = JSON.parse(document.getElementById("discipline-map-text").textContent);
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
    // Kazakhstan, until the shapes arrive.
    map.fitBounds([[40.5, 46.5], [55.5, 87.5]]);

    function draw(shapes) {
      var figures = {};
      data.regions.forEach(function (p) { figures[p.id] = p; });
      var features = [];
      (shapes.features || []).forEach(function (f) {
        if (figures[f.id] && f.geometry) {
          features.push({ type: "Feature", id: f.id, geometry: f.geometry, properties: figures[f.id] });
        }
      });
      var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
        style: function (feature) {
          return {
            color: "#37474f",
            weight: 1,
            fillColor: COLOURS[feature.properties.band] || COLOURS.none,
            fillOpacity: 0.8
          };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindTooltip(tooltip(p, text), { sticky: true });
          if (p.url) {
            shape.on("click", function () { window.location.href = p.url; });
          }
          shape.on("mouseover", function () { shape.setStyle({ weight: 3 }); });
          shape.on("mouseout", function () { shape.setStyle({ weight: 1 }); });
        }
      }).addTo(map);
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds());
      }
      el.setAttribute("data-ready", String(layer.getLayers().length));
    }

    function unavailable() {
      // The table of regions beside the map carries the same figures.
      var note = document.createElement("p");
      note.className = "map-note";
      note.setAttribute("role", "status");
      note.textContent = text.unavailable;
      el.appendChild(note);
      el.setAttribute("data-ready", "0");
    }

    fetch(data.shapes, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(draw, unavailable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
