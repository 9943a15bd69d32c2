using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AuroraSecurity.Tls
{
    /// <summary>The DNS names and IP addresses of a certificate's subjectAltName extension (2.5.29.17), read from its DER.</summary>
    public sealed class SubjectAlternativeNames
    {
        /// <summary>The extension's object identifier.</summary>
        public const string Oid = "2.5.29.17";

        private SubjectAlternativeNames(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses, bool present)
        {
            DnsNames = dnsNames;
            IpAddresses = ipAddresses;
            Present = present;
        }

        /// <summary>No extension at all.</summary>
        public static SubjectAlternativeNames None { get; } = new SubjectAlternativeNames(Array.Empty<string>(), Array.Empty<IPAddress>(), false);

        /// <summary>dNSName entries ([2]).</summary>
        public IReadOnlyList<string> DnsNames { get; }

        /// <summary>iPAddress entries ([7]).</summary>
        public IReadOnlyList<IPAddress> IpAddresses { get; }

        /// <summary>Whether the certificate carries the extension.</summary>
        public bool Present { get; }

        /// <summary>"DNS:name" and "IP:address" entries, in the certificate's order by kind.</summary>
        public IReadOnlyList<string> ToDisplayList()
        {
            var list = new List<string>();
            foreach (var name in DnsNames) list.Add("DNS:" + name);
            foreach (var address in IpAddresses) list.Add("IP:" + address);
            return list;
        }

        /// <summary>The names of a certificate; <see cref="None"/> when it has no subjectAltName extension.</summary>
        public static SubjectAlternativeNames From(X509Certificate2 certificate)
        {
            if (certificate is null) throw new ArgumentNullException(nameof(certificate));
            foreach (var extension in certificate.Extensions)
            {
                if (extension.Oid?.Value == Oid)
                {
                    return Parse(extension.RawData);
                }
            }

            return None;
        }

        /// <summary>Parses the extension value: SEQUENCE OF GeneralName; other name kinds are skipped.</summary>
        public static SubjectAlternativeNames Parse(byte[] der)
        {
            if (der is null) throw new ArgumentNullException(nameof(der));
            var position = 0;
            if (der.Length < 2 || der[position++] != 0x30)
            {
                throw new InvalidDataException("The subjectAltName extension is not a DER SEQUENCE.");
            }

            var length = ReadLength(der, ref position);
            var end = position + length;
            if (end > der.Length)
            {
                throw new InvalidDataException("The subjectAltName extension is truncated.");
            }

            var dns = new List<string>();
            var addresses = new List<IPAddress>();
            while (position < end)
            {
                var tag = der[position++];
                var itemLength = ReadLength(der, ref position);
                if (position + itemLength > end)
                {
                    throw new InvalidDataException("A subjectAltName entry runs past the end of the extension.");
                }

                switch (tag)
                {
                    case 0x82: // [2] IMPLICIT IA5String
                        dns.Add(Encoding.ASCII.GetString(der, position, itemLength));
                        break;
                    case 0x87: // [7] IMPLICIT OCTET STRING, 4 or 16 bytes
                        if (itemLength == 4 || itemLength == 16)
                        {
                            var bytes = new byte[itemLength];
                            Array.Copy(der, position, bytes, 0, itemLength);
                            addresses.Add(new IPAddress(bytes));
                        }

                        break;
                }

                position += itemLength;
            }

            return new SubjectAlternativeNames(dns, addresses, true);
        }

        private static int ReadLength(byte[] der, ref int position)
        {
            if (position >= der.Length)
            {
                throw new InvalidDataException("The subjectAltName extension is truncated.");
            }

            int first = der[position++];
            if (first < 0x80)
            {
                return first;
            }

            var count = first & 0x7F;
            if (count == 0 || count > 3 || position + count > der.Length)
            {
                throw new InvalidDataException("The subjectAltName extension has a length this parser does not accept.");
            }

            var length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | der[position++];
            }

            return length;
        }
    }
}
