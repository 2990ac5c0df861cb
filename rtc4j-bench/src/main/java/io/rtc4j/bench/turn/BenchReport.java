package io.rtc4j.bench.turn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects each figure's per-run values for both servers and renders medians and the rtc4j/coturn ratio as a
 * Markdown table. A value marked "at least" (the load generator, not the server, was the limit) is printed with
 * a leading "≥".
 */
final class BenchReport {
    static final String RTC4J = "rtc4j";
    static final String COTURN = "coturn";

    /** One table row. {@code decimals}: digits after the point; 0 prints thousands separators. */
    static final class Figure {
        final String label;
        final int decimals;
        final Map<String, List<Double>> values = new LinkedHashMap<>();
        final Map<String, List<Boolean>> atLeast = new LinkedHashMap<>();

        Figure(String label, int decimals) {
            this.label = label;
            this.decimals = decimals;
        }

        double median(String side) {
            List<Double> v = values.get(side);
            if (v == null || v.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        String format(double x) {
            if (Double.isNaN(x)) {
                return "–";
            }
            return decimals == 0
                    ? String.format(Locale.ROOT, "%,.0f", x)
                    : String.format(Locale.ROOT, "%." + decimals + "f", x);
        }

        String cell(String side) {
            double m = median(side);
            String s = format(m);
            return !Double.isNaN(m) && medianIsAtLeast(side) ? "≥ " + s : s;
        }

        /** True if a run behind the median (the middle one, or either middle one) was only a lower bound. */
        boolean medianIsAtLeast(String side) {
            List<Double> v = values.get(side);
            List<Boolean> flags = atLeast.get(side);
            if (v == null || v.isEmpty()) {
                return false;
            }
            Integer[] order = new Integer[v.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(v::get));
            int n = order.length;
            return n % 2 == 1
                    ? flags.get(order[n / 2])
                    : flags.get(order[n / 2 - 1]) || flags.get(order[n / 2]);
        }

        String ratio() {
            double r = median(RTC4J);
            double c = median(COTURN);
            if (Double.isNaN(r) || Double.isNaN(c) || c == 0) {
                return "–";
            }
            return String.format(Locale.ROOT, "%.2f", r / c);
        }

        String runs(String side) {
            List<Double> v = values.get(side);
            if (v == null || v.isEmpty()) {
                return "–";
            }
            List<String> parts = new ArrayList<>();
            List<Boolean> flags = atLeast.get(side);
            for (int i = 0; i < v.size(); i++) {
                parts.add((flags.get(i) ? "≥" : "") + format(v.get(i)));
            }
            return String.join(" / ", parts);
        }
    }

    private final Map<String, Figure> figures = new LinkedHashMap<>();

    /** Declares a row (rows print in declaration order). */
    void declare(String key, String label, int decimals) {
        figures.put(key, new Figure(label, decimals));
    }

    void add(String key, String side, double value, boolean atLeast) {
        Figure f = figures.get(key);
        if (f == null) {
            throw new IllegalArgumentException("undeclared figure " + key);
        }
        f.values.computeIfAbsent(side, k -> new ArrayList<>()).add(value);
        f.atLeast.computeIfAbsent(side, k -> new ArrayList<>()).add(atLeast);
    }

    String markdown(List<String> sides) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Figure | rtc4j | coturn | rtc4j/coturn |\n");
        sb.append("|---|--:|--:|--:|\n");
        for (Figure f : figures.values()) {
            sb.append("| ")
                    .append(f.label)
                    .append(" | ")
                    .append(sides.contains(RTC4J) ? f.cell(RTC4J) : "–")
                    .append(" | ")
                    .append(sides.contains(COTURN) ? f.cell(COTURN) : "–")
                    .append(" | ")
                    .append(f.ratio())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** Every run's value, for judging the spread behind each median. */
    String perRun(List<String> sides) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Figure (each run) | rtc4j | coturn |\n");
        sb.append("|---|--:|--:|\n");
        for (Figure f : figures.values()) {
            sb.append("| ")
                    .append(f.label)
                    .append(" | ")
                    .append(sides.contains(RTC4J) ? f.runs(RTC4J) : "–")
                    .append(" | ")
                    .append(sides.contains(COTURN) ? f.runs(COTURN) : "–")
                    .append(" |\n");
        }
        return sb.toString();
    }

    boolean anyAtLeast() {
        return figures.values().stream()
                .anyMatch(f -> f.values.keySet().stream().anyMatch(f::medianIsAtLeast));
    }
}
