/* lossbook's explorable figures (_ext/lossbook_explorables.py): sliders, SVG, printed values.
   Plain JavaScript, no library. Every number printed is looked up in the data that lossbook
   computed at build time (embedded in the page); the script draws and formats, it computes
   no loss. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function svgEl(parent, tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function htmlEl(parent, tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  // A number with d decimals, never "-0.000".
  function fmt(v, d) {
    var s = v.toFixed(d);
    return Number(s) === 0 ? (0).toFixed(d) : s;
  }
  function lin(d0, d1, r0, r1) {
    return function (v) { return r0 + (v - d0) * (r1 - r0) / (d1 - d0); };
  }
  function panel(row, w, h, alt) {
    var box = htmlEl(row, "div", {"class": "lbx-panel", style: "max-width:" + w * 1.4 + "px"});
    return svgEl(box, "svg", {viewBox: "0 0 " + w + " " + h, role: "img", "aria-label": alt});
  }
  function slider(box, id, text, n, start, update) {
    var wrap = htmlEl(box, "div", {"class": "lbx-control"});
    htmlEl(wrap, "label", {"for": id}, text);
    var input = htmlEl(wrap, "input", {type: "range", id: id, min: 0, max: n - 1, step: 1,
                                       value: start});
    var out = htmlEl(wrap, "output", {"for": id, "data-q": id.split("-").pop(),
                                      "aria-hidden": "true"});
    input.addEventListener("input", update);
    return {input: input, out: out};
  }
  // A list of printed values: returns {key: element}.
  function readout(box, items) {
    var dl = htmlEl(box, "dl", {"class": "lbx-readout"});
    var found = {};
    items.forEach(function (it) {
      var div = htmlEl(dl, "div");
      htmlEl(div, "dt", {}, it[1]);
      found[it[0]] = htmlEl(div, "dd", {"data-q": it[0]});
    });
    return found;
  }
  function axisText(g, x, y, text, anchor, cls) {
    return svgEl(g, "text", {x: x, y: y, "text-anchor": anchor || "middle",
                             "class": cls || "lbx-tick"}, text);
  }
  function polyline(g, pts, cls) {
    return svgEl(g, "polyline", {points: pts.map(function (p) {
      return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "), "class": cls});
  }

  // Chapter 3: a line through five points; residuals, squares, MSE, MAE, the MSE surface.
  function ch3(fig, d, L, stage) {
    var id = fig.id;
    var row = htmlEl(stage, "div", {"class": "lbx-row"});
    var left = panel(row, 300, 300, L.alt_line), right = panel(row, 300, 300, L.alt_surface);
    var X = lin(0, 7, 34, 290), Y = lin(0, 7, 270, 14);
    var clip = svgEl(svgEl(left, "defs", {}), "clipPath", {id: id + "-clip"});
    svgEl(clip, "rect", {x: 34, y: 14, width: 256, height: 256});
    svgEl(left, "rect", {x: 34, y: 14, width: 256, height: 256, "class": "lbx-frame"});
    for (var t = 0; t <= 7; t++) {
      axisText(left, X(t), 286, t);
      axisText(left, 28, Y(t) + 4, t, "end");
    }
    var g = svgEl(left, "g", {"clip-path": "url(#" + id + "-clip)"});
    var squares = svgEl(g, "g", {"class": "lbx-square"});
    var resid = svgEl(g, "g", {"class": "lbx-resid"});
    var line = svgEl(g, "line", {"class": "lbx-c0 lbx-thick"});
    d.x.forEach(function (x, i) {
      svgEl(left, "circle", {cx: X(x), cy: Y(d.y[i]), r: 4, "class": "lbx-dot"});
    });
    svgEl(left, "rect", {x: 44, y: 22, width: 10, height: 10, "class": "lbx-square"});
    axisText(left, 60, 31, L.square, "start", "lbx-key");
    // The surface: one cell per grid point, shaded by log(MSE).
    var nw = d.w.length, nb = d.b.length;
    var SW = lin(-0.5, nw - 0.5, 40, 290), SB = lin(-0.5, nb - 0.5, 260, 14);
    var lo = Math.log(d.mse[0][0]), hi = lo;
    d.mse.forEach(function (r) { r.forEach(function (v) {
      lo = Math.min(lo, Math.log(v)); hi = Math.max(hi, Math.log(v)); }); });
    var cw = SW(1) - SW(0), ch = SB(0) - SB(1);
    for (var i = 0; i < nw; i++) for (var j = 0; j < nb; j++) {
      svgEl(right, "rect", {x: SW(i) - cw / 2, y: SB(j) - ch / 2, width: cw + 0.3,
        height: ch + 0.3, "class": "lbx-cell",
        "fill-opacity": (0.06 + 0.8 * (Math.log(d.mse[i][j]) - lo) / (hi - lo)).toFixed(2)});
    }
    [0, 10, 20, 30].forEach(function (i) { axisText(right, SW(i), 276, d.w[i]); });
    [0, 4, 8, 12, 16, 20].forEach(function (j) { axisText(right, 34, SB(j) + 4, d.b[j], "end"); });
    axisText(right, 165, 294, "w", "middle", "lbx-var");
    axisText(right, 12, 137, "b", "middle", "lbx-var");
    var bi = lin(d.w[0], d.w[nw - 1], 0, nw - 1)(d.best[0]);
    var bj = lin(d.b[0], d.b[nb - 1], 0, nb - 1)(d.best[1]);
    svgEl(right, "path", {d: "M" + SW(bi) + " " + (SB(bj) - 8) + "l7 8-7 8-7-8z",
                          "class": "lbx-best"});
    axisText(right, SW(bi) + 10, SB(bj) - 10, L.best, "start", "lbx-key");
    var point = svgEl(right, "circle", {r: 5, "class": "lbx-point"});
    var box = htmlEl(stage, "div", {"class": "lbx-controls"});
    var sw = slider(box, id + "-w", L.slope, nw, d.start[0], update);
    var sb = slider(box, id + "-b", L.intercept, nb, d.start[1], update);
    var out = readout(stage, [["mse", L.mse], ["mae", L.mae]]);
    function update() {
      var i = +sw.input.value, j = +sb.input.value, w = d.w[i], b = d.b[j];
      line.setAttribute("x1", X(0)); line.setAttribute("y1", Y(b));
      line.setAttribute("x2", X(7)); line.setAttribute("y2", Y(w * 7 + b));
      squares.textContent = ""; resid.textContent = "";
      d.x.forEach(function (x, k) {
        var yk = d.y[k], r = w * x + b - yk, s = Math.abs(X(r) - X(0));
        svgEl(squares, "rect", {x: X(x), y: Y(Math.max(yk, yk + r)), width: s, height: s});
        svgEl(resid, "line", {x1: X(x), y1: Y(yk), x2: X(x), y2: Y(yk + r)});
      });
      point.setAttribute("cx", SW(i)); point.setAttribute("cy", SB(j));
      sw.out.textContent = fmt(w, 1); sb.out.textContent = fmt(b, 2);
      out.mse.textContent = fmt(d.mse[i][j], 3); out.mae.textContent = fmt(d.mae[i][j], 3);
      var said = L.mse + " " + out.mse.textContent + ", " + L.mae + " " + out.mae.textContent;
      sw.input.setAttribute("aria-valuetext", "w = " + sw.out.textContent + "; " + said);
      sb.input.setAttribute("aria-valuetext", "b = " + sb.out.textContent + "; " + said);
    }
    update();
  }

  // Chapter 4: the true class's logit; softmax, -log p in three bases, the gradient.
  function ch4(fig, d, L, stage) {
    var names = L.classes.split(/,\s*/);
    var row = htmlEl(stage, "div", {"class": "lbx-row"});
    var left = panel(row, 300, 300, L.alt_bars), right = panel(row, 300, 300, L.alt_curve);
    var P = lin(0, 1, 130, 30), G = lin(-1, 1, 286, 194);
    axisText(left, 8, 24, L.prob, "start", "lbx-key");
    axisText(left, 8, 184, L.grad, "start", "lbx-key");
    svgEl(left, "line", {x1: 20, x2: 290, y1: P(0), y2: P(0), "class": "lbx-axis"});
    svgEl(left, "line", {x1: 20, x2: 290, y1: G(0), y2: G(0), "class": "lbx-axis"});
    var bars = names.map(function (name, k) {
      var x = 40 + k * 88;
      axisText(left, x + 30, 148, name);
      return {p: svgEl(left, "rect", {x: x, width: 60, "class": "lbx-c0f"}),
              g: svgEl(left, "rect", {x: x, width: 60, "class": "lbx-c1f"}),
              pt: axisText(left, x + 30, 0, ""), gt: axisText(left, x + 30, 0, "")};
    });
    var CX = lin(0, 1, 40, 290), CY = lin(0, 5.5, 270, 14);
    svgEl(right, "rect", {x: 40, y: 14, width: 250, height: 256, "class": "lbx-frame"});
    [0, 0.25, 0.5, 0.75, 1].forEach(function (v) { axisText(right, CX(v), 286, v); });
    [0, 1, 2, 3, 4, 5].forEach(function (v) { axisText(right, 34, CY(v) + 4, v, "end"); });
    axisText(right, 165, 299, L.prob);
    axisText(right, 48, 30, L.curve, "start", "lbx-key");
    var pts = [];
    d.nats.forEach(function (v, k) { if (v <= 5.5) pts.push([CX(d.prob[k][d.true]), CY(v)]); });
    polyline(right, pts, "lbx-c0 lbx-thick");
    var dot = svgEl(right, "circle", {r: 6, "class": "lbx-point"});
    var box = htmlEl(stage, "div", {"class": "lbx-controls"});
    var s = slider(box, fig.id + "-z", L.logit, d.z.length, d.start, update);
    var out = readout(stage, [["prob", L.prob + " (" + names.join(", ") + ")"],
      ["grad", L.grad], ["nats", L.nats], ["base10", L.base10], ["bits", L.bits]]);
    function update() {
      var k = +s.input.value, p = d.prob[k], g = d.grad[k];
      bars.forEach(function (b, c) {
        b.p.setAttribute("y", P(p[c])); b.p.setAttribute("height", P(0) - P(p[c]));
        b.g.setAttribute("y", Math.min(G(0), G(g[c])));
        b.g.setAttribute("height", Math.abs(G(g[c]) - G(0)));
        b.pt.textContent = fmt(p[c], 4); b.pt.setAttribute("y", P(p[c]) - 4);
        b.gt.textContent = fmt(g[c], 4);
        b.gt.setAttribute("y", g[c] < 0 ? G(g[c]) + 13 : G(g[c]) - 4);
      });
      var pt = d.nats[k] <= 5.5 ? CY(d.nats[k]) : CY(5.5);
      dot.setAttribute("cx", CX(p[d.true])); dot.setAttribute("cy", pt);
      s.out.textContent = fmt(d.z[k], 2);
      out.prob.textContent = p.map(function (v) { return fmt(v, 4); }).join(" / ");
      out.grad.textContent = g.map(function (v) { return fmt(v, 4); }).join(" / ");
      out.nats.textContent = fmt(d.nats[k], 4);
      out.base10.textContent = fmt(d.base10[k], 5);
      out.bits.textContent = fmt(d.bits[k], 4);
      s.input.setAttribute("aria-valuetext", "z = " + s.out.textContent + "; " +
        L.prob + " " + fmt(p[d.true], 4) + "; " + L.nats + " " + out.nats.textContent);
    }
    update();
  }

  // Chapter 5: one weight of the 45-of-100 classifier; accuracy steps, the loss glides.
  function ch5(fig, d, L, stage) {
    var n = d.loss.length;
    var row = htmlEl(stage, "div", {"class": "lbx-row"});
    var svg = panel(row, 380, 262, L.alt);
    var X = lin(0, n - 1, 46, 334);
    var rmin = Math.min.apply(null, d.right), rmax = Math.max.apply(null, d.right);
    var lmin = Math.min.apply(null, d.loss), lmax = Math.max.apply(null, d.loss);
    var A = lin(rmin - 1, rmax + 1, 224, 20), C = lin(lmin, lmax, 220, 24);
    svgEl(svg, "rect", {x: 46, y: 16, width: 288, height: 212, "class": "lbx-frame"});
    axisText(svg, 46, 11, L.accuracy, "start", "lbx-c0t lbx-key");
    axisText(svg, 334, 11, L.loss, "end", "lbx-c1t lbx-key");
    [rmin, Math.round((rmin + rmax) / 2), rmax].forEach(function (r) {
      axisText(svg, 40, A(r) + 4, Math.round(100 * r / d.n) + "%", "end", "lbx-c0t"); });
    [lmin, (lmin + lmax) / 2, lmax].forEach(function (v) {
      axisText(svg, 340, C(v) + 4, v.toFixed(2), "start", "lbx-c1t"); });
    [0, 100, 200, 300, 400].forEach(function (k) {
      axisText(svg, X(k), 244, fmt(d.w0 + (k - d.start) * d.step, 2)); });
    axisText(svg, 190, 259, L.weight);
    var steps = [];
    d.right.forEach(function (r, k) {
      var x0 = X(Math.max(k - 0.5, 0)), x1 = X(Math.min(k + 0.5, n - 1));
      steps.push([x0, A(r)], [x1, A(r)]);
    });
    polyline(svg, steps, "lbx-c0 lbx-thick");
    polyline(svg, d.loss.map(function (v, k) { return [X(k), C(v)]; }), "lbx-c1 lbx-thick");
    var m = d.minimum;
    svgEl(svg, "circle", {cx: X(m), cy: C(d.loss[m]), r: 4, "class": "lbx-best"});
    axisText(svg, X(m) + 4, C(d.loss[m]) - 10, L.minimum, "end", "lbx-key");
    var cursor = svgEl(svg, "line", {y1: 16, y2: 228, "class": "lbx-cursor"});
    var box = htmlEl(stage, "div", {"class": "lbx-controls"});
    var s = slider(box, fig.id + "-w", L.weight, n, d.start, update);
    var out = readout(stage, [["accuracy", L.accuracy], ["right", L.right], ["loss", L.loss],
      ["acc_slope", L.acc_slope], ["loss_slope", L.loss_slope]]);
    function update() {
      var k = +s.input.value;
      cursor.setAttribute("x1", X(k)); cursor.setAttribute("x2", X(k));
      s.out.textContent = fmt(d.w0 + (k - d.start) * d.step, 4);
      out.accuracy.textContent = Math.round(100 * d.right[k] / d.n) + "%";
      out.right.textContent = d.right[k] + " / " + d.n;
      out.loss.textContent = fmt(d.loss[k], 5);
      out.acc_slope.textContent = fmt(d.acc_slope[k], 4);
      out.loss_slope.textContent = fmt(d.loss_slope[k], 4);
      s.input.setAttribute("aria-valuetext", L.weight + " = " + s.out.textContent + "; " +
        L.accuracy + " " + out.accuracy.textContent + "; " + L.loss + " " +
        out.loss.textContent);
    }
    update();
  }

  // Chapter 8: the quantile of the pinball loss; the mean loss of a constant and its minimiser.
  function ch8(fig, d, L, stage) {
    var n = d.tau.length, cmax = d.c[d.c.length - 1];
    var row = htmlEl(stage, "div", {"class": "lbx-row"});
    var svg = panel(row, 380, 262, L.alt);
    var top = 0;
    d.curve.forEach(function (r) { r.forEach(function (v) { top = Math.max(top, v); }); });
    top = Math.ceil(top);
    var X = lin(0, cmax, 46, 366), Y = lin(0, top, 214, 18);
    svgEl(svg, "rect", {x: 46, y: 16, width: 320, height: 212, "class": "lbx-frame"});
    for (var t = 0; t <= cmax; t += 2) axisText(svg, X(t), 244, t);
    for (var v = 0; v <= top; v++) axisText(svg, 40, Y(v) + 4, v, "end");
    axisText(svg, 206, 259, L.c);
    axisText(svg, 50, 11, L.loss, "start", "lbx-c0t lbx-key");
    var rug = svgEl(svg, "g", {"class": "lbx-axis"});
    d.waits.forEach(function (w) {
      if (w <= cmax) svgEl(rug, "line", {x1: X(w), x2: X(w), y1: 221, y2: 228});
    });
    [["mean", d.mean, 28], ["median", d.median, 42]].forEach(function (m) {
      svgEl(svg, "line", {x1: X(m[1]), x2: X(m[1]), y1: 16, y2: 228, "class": "lbx-cursor"});
      axisText(svg, X(m[1]) + 4, m[2], L[m[0]], "start", "lbx-key");
    });
    var curve = polyline(svg, [], "lbx-c0 lbx-thick");
    var dot = svgEl(svg, "circle", {r: 6, "class": "lbx-point"});
    var box = htmlEl(stage, "div", {"class": "lbx-controls"});
    var s = slider(box, fig.id + "-tau", L.tau, n, d.start, update);
    var out = readout(stage, [["best", L.best], ["below", L.below], ["at_best", L.at_best]]);
    function update() {
      var k = +s.input.value;
      curve.setAttribute("points", d.curve[k].map(function (v, j) {
        return X(d.c[j]).toFixed(1) + "," + Y(v).toFixed(1); }).join(" "));
      dot.setAttribute("cx", X(d.best[k])); dot.setAttribute("cy", Y(d.at_best[k]));
      s.out.textContent = fmt(d.tau[k], 2);
      out.best.textContent = fmt(d.best[k], 2);
      out.below.textContent = fmt(d.below[k], 3);
      out.at_best.textContent = fmt(d.at_best[k], 4);
      s.input.setAttribute("aria-valuetext", "\u03c4 = " + s.out.textContent + "; " + L.best +
        " " + out.best.textContent + "; " + L.below + " " + out.below.textContent);
    }
    update();
  }

  // Chapter 9: the temperature of an overconfident model; reliability bars, NLL, ECE.
  function ch9(fig, d, L, stage) {
    var n = d.t.length, row = htmlEl(stage, "div", {"class": "lbx-row"});
    var left = panel(row, 300, 300, L.alt_bars), right = panel(row, 300, 300, L.alt_curve);
    var B = lin(0, 1, 40, 290), A = lin(0, 1, 270, 20);
    svgEl(left, "rect", {x: 40, y: 20, width: 250, height: 250, "class": "lbx-frame"});
    svgEl(left, "line", {x1: B(0), y1: A(0), x2: B(1), y2: A(1), "class": "lbx-cursor"});
    [0, 0.5, 1].forEach(function (v) {
      axisText(left, B(v), 286, v); axisText(left, 34, A(v) + 4, v, "end"); });
    axisText(left, 165, 299, L.conf_axis);
    axisText(left, 46, 34, L.accuracy, "start", "lbx-key");
    axisText(left, B(0.62), A(0.7), L.calibrated, "end", "lbx-key");
    var bars = d.bins[0].map(function (_, m) {
      return svgEl(left, "rect", {x: B(m / 10) + 1, width: B(0.1) - B(0) - 2, "class": "lbx-c0f"});
    });
    var top = Math.ceil(Math.max.apply(null, d.nll));
    var X = lin(d.t[0], d.t[n - 1], 40, 290), Y = lin(0, top, 270, 20);
    svgEl(right, "rect", {x: 40, y: 20, width: 250, height: 250, "class": "lbx-frame"});
    [1, 2, 3, 4, 5, 6].forEach(function (v) { axisText(right, X(v), 286, v); });
    for (var v = 0; v <= top; v++) axisText(right, 34, Y(v) + 4, v, "end");
    axisText(right, 165, 299, L.temperature);
    axisText(right, 46, 34, L.nll, "start", "lbx-key");
    polyline(right, d.nll.map(function (v, k) { return [X(d.t[k]), Y(v)]; }), "lbx-c0 lbx-thick");
    svgEl(right, "line", {x1: X(d.fitted), x2: X(d.fitted), y1: 20, y2: 270, "class": "lbx-cursor"});
    axisText(right, X(d.fitted) + 4, 52, L.fitted + " " + fmt(d.fitted, 2), "start", "lbx-key");
    var dot = svgEl(right, "circle", {r: 6, "class": "lbx-point"});
    var box = htmlEl(stage, "div", {"class": "lbx-controls"});
    var s = slider(box, fig.id + "-t", L.temperature, n, d.start, update);
    var out = readout(stage, [["conf", L.confidence], ["acc", L.accuracy], ["nll", L.nll],
      ["ece", L.ece]]);
    function update() {
      var k = +s.input.value;
      bars.forEach(function (b, m) {
        var a = d.counts[k][m] ? d.bins[k][m] : 0;
        b.setAttribute("y", A(a)); b.setAttribute("height", A(0) - A(a));
      });
      dot.setAttribute("cx", X(d.t[k])); dot.setAttribute("cy", Y(d.nll[k]));
      s.out.textContent = fmt(d.t[k], 1);
      out.conf.textContent = fmt(d.conf[k], 3); out.acc.textContent = fmt(d.acc[k], 3);
      out.nll.textContent = fmt(d.nll[k], 4); out.ece.textContent = fmt(d.ece[k], 4);
      s.input.setAttribute("aria-valuetext", "T = " + s.out.textContent + "; " + L.confidence +
        " " + out.conf.textContent + "; " + L.nll + " " + out.nll.textContent + "; " + L.ece +
        " " + out.ece.textContent);
    }
    update();
  }

  // Chapter 10: the triplet loss's margin; which triplets (points) still cost something.
  function ch10(fig, d, L, stage) {
    var n = d.d_ap.length;
    var row = htmlEl(stage, "div", {"class": "lbx-row"});
    var svg = panel(row, 320, 300, L.alt);
    var X = lin(0, 2, 46, 306), Y = lin(0, 5, 262, 14);
    var clip = svgEl(svgEl(svg, "defs", {}), "clipPath", {id: fig.id + "-clip"});
    svgEl(clip, "rect", {x: 46, y: 14, width: 260, height: 248});
    svgEl(svg, "rect", {x: 46, y: 14, width: 260, height: 248, "class": "lbx-frame"});
    [0, 0.5, 1, 1.5, 2].forEach(function (v) { axisText(svg, X(v), 278, v); });
    [0, 1, 2, 3, 4, 5].forEach(function (v) { axisText(svg, 40, Y(v) + 4, v, "end"); });
    axisText(svg, 176, 296, L.d_ap);
    axisText(svg, 52, 30, L.d_an, "start", "lbx-key");
    var line = svgEl(svgEl(svg, "g", {"clip-path": "url(#" + fig.id + "-clip)"}), "line",
                     {"class": "lbx-c0 lbx-thick"});
    axisText(svg, 300, 254, L.boundary, "end", "lbx-c0t lbx-key");
    var dots = d.d_ap.map(function (x, k) {
      return svgEl(svg, "circle", {cx: X(x), cy: Y(d.d_an[k]), r: 5});
    });
    var box = htmlEl(stage, "div", {"class": "lbx-controls"});
    var s = slider(box, fig.id + "-m", L.margin, d.m.length, d.start, update);
    var out = readout(stage, [["loss", L.loss], ["active", L.active]]);
    function update() {
      var k = +s.input.value, m = d.m[k], on = {};
      d.active[k].forEach(function (i) { on[i] = true; });
      line.setAttribute("x1", X(0)); line.setAttribute("y1", Y(m));
      line.setAttribute("x2", X(2)); line.setAttribute("y2", Y(2 + m));
      dots.forEach(function (dot, i) {
        dot.setAttribute("class", on[i] ? "lbx-point" : "lbx-open");
      });
      s.out.textContent = fmt(m, 2);
      out.loss.textContent = fmt(d.loss[k], 5);
      out.active.textContent = d.active[k].length + " / " + n;
      s.input.setAttribute("aria-valuetext", "m = " + s.out.textContent + "; " + L.loss + " " +
        out.loss.textContent + "; " + L.active + " " + out.active.textContent);
    }
    update();
  }

  var FIGURES = {"ch3-line": ch3, "ch4-logit": ch4, "ch5-weight": ch5, "ch8-quantile": ch8,
    "ch9-temperature": ch9, "ch10-margin": ch10};

  function init() {
    document.querySelectorAll("figure.lbx").forEach(function (fig) {
      var draw = FIGURES[fig.dataset.lbx];
      if (!draw || fig.dataset.ready) return;
      var data = JSON.parse(fig.querySelector("script.lbx-data").textContent);
      var labels = JSON.parse(fig.querySelector("script.lbx-labels").textContent);
      draw(fig, data, labels, fig.querySelector(".lbx-stage"));
      fig.dataset.ready = "1";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
