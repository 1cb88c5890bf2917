package jblk.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The comparison as one PNG (XChart), two panels: on top the median IOPS per workload and variant
 * on a log axis (the inline workloads run an order of magnitude faster than the others; XChart
 * cannot draw error bars on a log axis); below, each variant's IOPS relative to the same workload's
 * median of the first variant (raw, or off) on a linear axis, with error bars. XChart's error bars are
 * symmetric, so a bar's error is the larger of median - min and max - median.
 */
final class CompareChart {
    private static final Color[] COLORS = {new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4),
        new Color(0xff, 0x7f, 0x0e), new Color(0xd6, 0x27, 0x28)};
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 520;

    private CompareChart() {
    }

    static void write(CompareReport r, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Variant base = r.variants.get(0);
        List<String> names = new ArrayList<>();
        for (CompareWorkload w : r.workloads) {
            names.add(w.name());
        }

        CategoryChart abs = chart("jblk compare: median IOPS per workload and variant (" + r.repetitions
                + " interleaved runs of " + r.runtimeS + " s each)", "IOPS, median (log scale)");
        abs.getStyler().setYAxisLogarithmic(true);
        double lowest = Double.MAX_VALUE;
        for (Variant v : r.variants) {
            List<Double> y = values(r, v, c -> Math.max(1, c.median()));
            for (double d : y) {
                lowest = Math.min(lowest, d);
            }
            abs.addSeries(v.label(), names, y);
        }
        // bars start at the axis minimum, which a log axis needs above 0: a decade below the lowest bar
        abs.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(1, lowest)))));

        CategoryChart rel = chart("IOPS relative to " + base.label() + " (% of its median); error bars: the larger of"
                + " median - min and max - median", "% of " + base.label() + "'s median IOPS");
        for (Variant v : r.variants) {
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (CompareWorkload w : r.workloads) {
                CompareReport.Cell c = r.cell(w, v);
                CompareReport.Cell b = r.cell(w, base);
                if (c == null || b == null || b.median() == 0) {
                    y.add(0.0);
                    err.add(0.0);
                    continue;
                }
                y.add(100 * c.median() / b.median());
                err.add(100 * Math.max(c.median() - c.min(), c.max() - c.median()) / b.median());
            }
            rel.addSeries(v.label(), names, y, err);
        }
        rel.getStyler().setYAxisMin(0.0);
        rel.getStyler().setYAxisDecimalPattern("#");
        rel.getStyler().setErrorBarsColor(Color.BLACK);

        BufferedImage img = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(BitmapEncoder.getBufferedImage(abs), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(rel), 0, HEIGHT, null);
        g.dispose();
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("workload (null_blk, 4 KiB I/O, " + CompareWorkload.COMMON + ")").yAxisTitle(yTitle).build();
        CategoryStyler st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setSeriesColors(COLORS);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridVerticalLinesVisible(false);
        st.setYAxisDecimalPattern("#,###");
        return c;
    }

    private static List<Double> values(CompareReport r, Variant v, ToDoubleFunction<CompareReport.Cell> f) {
        List<Double> y = new ArrayList<>();
        for (CompareWorkload w : r.workloads) {
            CompareReport.Cell c = r.cell(w, v);
            y.add(c == null ? 1.0 : f.applyAsDouble(c));
        }
        return y;
    }
}
