package dev.suite.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table: first column left-aligned, the others right-aligned (they are mostly numbers). */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        columns = header.length;
        rows.add(header);
    }

    TextTable row(Object... cells) {
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            text[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "-";
        }
        rows.add(text);
        return this;
    }

    String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String format = i == 0 || i == columns - 1 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                line.append(i == 0 ? "" : "  ").append(String.format(format, row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                out.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
            }
        }
        return out.toString();
    }
}
