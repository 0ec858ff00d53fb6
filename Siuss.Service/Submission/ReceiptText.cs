using System.Text;
using System.Xml;

namespace Siuss.Service.Submission;

/// <summary>Text quoted from a refused document, made writable in a receipt.</summary>
public static class ReceiptText
{
    /// <summary>
    /// Characters XML 1.0 cannot carry become <c>\uXXXX</c>. A parser's message quotes the offending character (a
    /// control character in a malformed flow), and a receipt holding it could not be written: the body got an
    /// internal error instead of FLOW_XML_MALFORMED.
    /// </summary>
    public static string Printable(string text)
    {
        StringBuilder? printable = null; // made only for text that needs it
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (XmlConvert.IsXmlChar(c)) { printable?.Append(c); continue; }
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                printable?.Append(c).Append(text[i + 1]);
                i++; // not inside the ?. chain, which is skipped while nothing needed escaping
                continue;
            }
            printable ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            printable.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return printable?.ToString() ?? text;
    }
}
