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
        if (IsXmlText(text)) return text;
        var printable = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (XmlConvert.IsXmlChar(c)) printable.Append(c);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c)) printable.Append(c).Append(text[++i]);
            else printable.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return printable.ToString();
    }

    private static bool IsXmlText(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) continue;
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) { i++; continue; }
            return false;
        }
        return true;
    }
}
