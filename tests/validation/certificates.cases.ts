// TLS certificates: sources, uploads, client CAs.
import { base } from "../support/builders";
import type { Case } from "./case";

export const cases: Case[] = [
    [
        "a certificate declared twice",
        () => ({
            ...base(),
            certificates: [
                { name: "c", existingSecret: true },
                { name: "c", existingSecret: true },
            ],
        }),
        "certificates[1].name: certificate c is declared twice",
    ],
    [
        "a certificate without a source",
        () => ({ ...base(), certificates: [{ name: "c" }] }),
        "certificates[0]: needs a source: pem, certManager or existingSecret",
    ],
    [
        "an upload without PEM",
        () => ({ ...base(), certificates: [{ name: "c", existingSecret: true, uploadToAlibabaCloud: true }] }),
        "certificates[0].uploadToAlibabaCloud: uploads a PEM certificate: give pem",
    ],
    [
        "a client CA beside an existing Secret",
        () => ({ ...base(), certificates: [{ name: "c", existingSecret: true, clientCaCertificate: "x" }] }),
        "certificates[0].clientCaCertificate: an existing Secret carries its own ca.crt",
    ],
    [
        "a client CA that does not parse",
        () => ({
            ...base(),
            certificates: [{ name: "c", certManager: { issuer: "i" }, hosts: ["a.example.com"], clientCaCertificate: "not a pem" }],
        }),
        "certificates[0].clientCaCertificate: does not parse as a PEM certificate",
    ],
    [
        "a cert-manager certificate with no hosts",
        () => ({ ...base(), certificates: [{ name: "c", certManager: { issuer: "i" } }] }),
        "certificates[0].hosts: cert-manager needs the host names to request",
    ],
    [
        "a MUTUAL listener without a client CA",
        () => ({
            ...base(),
            routing: {
                listeners: [
                    { name: "https", port: 443, protocol: "HTTPS", hosts: ["a.example.com"], tls: { mode: "MUTUAL", credentialName: "c" } },
                ],
            },
            certificates: [{ name: "c", certManager: { issuer: "i" } }],
        }),
        "certificates[0].clientCaCertificate: listener https requires client certificates (MUTUAL)",
    ],
];
