package io.kopek.notification.mail;

import io.kopek.billing.Invoice;
import io.kopek.billing.InvoiceLine;
import io.kopek.catalog.BankDetails;
import io.kopek.catalog.Merchant;
import io.kopek.customer.Customer;
import io.kopek.customer.Language;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The invoice as a PDF for the "invoice issued" mail: the seller with its bank details, the buyer, number and dates,
 * each line with quantity, price, amount, VAT rate and VAT, the totals and the due date. Drawn with PDFBox and the
 * DejaVu fonts the report templates embed (Cyrillic). The same invoice gives the same bytes: no creation date, and the
 * document id is a hash of the invoice's content rather than of the clock.
 */
final class InvoicePdf {

    private static final String FONTS = "net/sf/jasperreports/fonts/dejavu/";
    private static final float MARGIN = 40;
    private static final float[] COLUMNS = {40, 62, 250, 295, 365, 440, 490, 555};
    private static final float ROW = 14;

    private InvoicePdf() {}

    static byte[] render(Invoice invoice, Merchant merchant, Customer customer, Language language, ZoneId zone) {
        MailTexts texts = new MailTexts(language);
        MailFormat format = new MailFormat(language, zone);
        try (PDDocument doc = new PDDocument();
                InputStream regular = font("DejaVuSans.ttf");
                InputStream bold = font("DejaVuSans-Bold.ttf")) {
            PDType0Font normal = PDType0Font.load(doc, regular, true);
            PDType0Font heavy = PDType0Font.load(doc, bold, true);
            Page page = new Page(doc, normal, heavy);
            Map<String, String> values = Map.of(
                    "number", invoice.number(),
                    "issueDate", format.date(invoice.issueDate()),
                    "dueDate", format.date(invoice.dueDate()),
                    "orderRef", invoice.orderRef() == null ? "" : invoice.orderRef());

            page.text(heavy, 16, MARGIN, texts.fill("pdf.title", values));
            page.down(8);
            if (invoice.orderRef() != null) {
                page.text(normal, 9, MARGIN, texts.fill("pdf.order", values));
            }
            page.down(6);
            page.text(heavy, 10, MARGIN, texts.get("pdf.seller"));
            BankDetails bank = merchant.bankDetails();
            page.text(normal, 9, MARGIN, bank == null ? merchant.name() : bank.legalName());
            page.text(
                    normal,
                    9,
                    MARGIN,
                    texts.get("pdf.inn") + " " + nullToEmpty(merchant.inn())
                            + (bank != null && bank.kpp() != null
                                    ? ", " + texts.get("pdf.kpp") + " " + bank.kpp()
                                    : ""));
            if (bank != null) {
                page.text(
                        normal,
                        9,
                        MARGIN,
                        texts.get("pdf.account") + " " + bank.settlementAccount() + ", " + texts.get("pdf.bank") + " "
                                + bank.bankName());
                page.text(
                        normal,
                        9,
                        MARGIN,
                        texts.get("pdf.bik") + " " + bank.bik() + ", " + texts.get("pdf.corr") + " "
                                + bank.correspondentAccount());
            }
            page.down(6);
            page.text(heavy, 10, MARGIN, texts.get("pdf.buyer"));
            page.text(
                    normal,
                    9,
                    MARGIN,
                    customer.name()
                            + (customer.inn() == null ? "" : ", " + texts.get("pdf.inn") + " " + customer.inn()));
            page.down(10);

            String[] titles = {
                texts.get("pdf.col.no"),
                texts.get("pdf.col.name"),
                texts.get("pdf.col.quantity"),
                texts.get("pdf.col.price"),
                texts.get("pdf.col.amount"),
                texts.get("pdf.col.vatRate"),
                texts.get("pdf.col.vat")
            };
            page.row(heavy, titles);
            for (InvoiceLine line : invoice.lines()) {
                page.row(normal, new String[] {
                    Integer.toString(line.lineNo()),
                    line.name(),
                    quantity(line.quantity(), language),
                    bare(format.money(line.unitPrice())),
                    bare(format.money(line.amount())),
                    rate(line.vatRateBp()),
                    bare(format.money(line.vat()))
                });
            }
            page.down(8);
            page.text(heavy, 10, MARGIN, texts.get("pdf.total") + ": " + format.money(invoice.total()));
            page.text(normal, 9, MARGIN, texts.get("pdf.vatTotal") + ": " + format.money(invoice.vatTotal()));
            page.down(6);
            page.text(heavy, 10, MARGIN, texts.fill("pdf.due", values));
            page.close();

            doc.getDocumentInformation().setTitle(texts.fill("pdf.title", values));
            doc.getDocumentInformation().setProducer("Kopek");
            byte[] id = id(invoice, merchant, customer, language);
            COSArray ids = new COSArray();
            ids.add(new COSString(id));
            ids.add(new COSString(id));
            doc.getDocument().getTrailer().setItem(COSName.ID, ids);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the PDF of invoice " + invoice.number() + " was not made", e);
        }
    }

    /** The file name of the attachment. */
    static String fileName(Invoice invoice) {
        return "invoice-" + invoice.number().replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf";
    }

    private static InputStream font(String name) throws IOException {
        InputStream in = InvoicePdf.class.getClassLoader().getResourceAsStream(FONTS + name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (jasperreports-fonts)");
        }
        return in;
    }

    /** The document id: the same for the same invoice as the buyer sees it, so the file is byte for byte the same. */
    private static byte[] id(Invoice invoice, Merchant merchant, Customer customer, Language language) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((invoice.id() + "|" + invoice.number() + "|" + invoice.total() + "|" + invoice.lines() + "|"
                            + merchant + "|" + customer.id() + "|" + customer.name() + "|" + language)
                    .getBytes(StandardCharsets.UTF_8));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bare(String money) {
        int space = money.lastIndexOf(' ');
        return space < 0 ? money : money.substring(0, space);
    }

    private static String quantity(BigDecimal quantity, Language language) {
        String plain = quantity.stripTrailingZeros().toPlainString();
        return language == Language.RU ? plain.replace('.', ',') : plain;
    }

    private static String rate(int bp) {
        return BigDecimal.valueOf(bp, 2).stripTrailingZeros().toPlainString() + " %";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** A cursor down A4 pages: a new page when the next row would not fit. */
    private static final class Page {
        private final PDDocument doc;
        private final PDType0Font normal;
        private final PDType0Font heavy;
        private PDPageContentStream content;
        private float y;

        Page(PDDocument doc, PDType0Font normal, PDType0Font heavy) throws IOException {
            this.doc = doc;
            this.normal = normal;
            this.heavy = heavy;
            newPage();
        }

        private void newPage() throws IOException {
            if (content != null) {
                content.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            content = new PDPageContentStream(doc, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        void down(float points) {
            y -= points;
        }

        void text(PDType0Font font, float size, float x, String text) throws IOException {
            if (y < MARGIN + ROW) {
                newPage();
            }
            y -= size + 3;
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(x, y);
            content.showText(text);
            content.endText();
        }

        /** One table row; a long description wraps within its column. */
        void row(PDType0Font font, String[] cells) throws IOException {
            float size = 8;
            List<String> name = wrap(font, size, cells[1], COLUMNS[2] - COLUMNS[1] - 4);
            float height = Math.max(1, name.size()) * (size + 3) + 4;
            if (y - height < MARGIN) {
                newPage();
            }
            float top = y;
            for (int i = 0; i < cells.length; i++) {
                List<String> lines = i == 1 ? name : List.of(cells[i]);
                float ly = top;
                for (String line : lines) {
                    ly -= size + 3;
                    float width = font.getStringWidth(line) / 1000 * size;
                    // numbers right-aligned in their column
                    float x = i >= 2 ? COLUMNS[i + 1] - 2 - width : COLUMNS[i] + 2;
                    content.beginText();
                    content.setFont(font, size);
                    content.newLineAtOffset(x, ly);
                    content.showText(line);
                    content.endText();
                }
            }
            y = top - height;
            content.setLineWidth(0.25f);
            content.moveTo(COLUMNS[0], y + 1);
            content.lineTo(COLUMNS[COLUMNS.length - 1], y + 1);
            content.stroke();
        }

        private static List<String> wrap(PDType0Font font, float size, String text, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                String next = line.isEmpty() ? word : line + " " + word;
                if (!line.isEmpty() && font.getStringWidth(next) / 1000 * size > width) {
                    lines.add(line.toString());
                    line = new StringBuilder(word);
                } else {
                    line = new StringBuilder(next);
                }
            }
            lines.add(line.toString());
            return lines;
        }

        void close() throws IOException {
            content.close();
        }
    }
}
