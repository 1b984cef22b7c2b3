// Writes examples/istio-ingress-two-clusters/grpc/bookstore.pb, the descriptor set of
// bookstore.proto beside it, without protoc: the same FileDescriptorSet built with
// @bufbuild/protobuf. The `google.api.http` options are written as what they are on the wire
// (extension 72295728 of MethodOptions holding an HttpRule), which Envoy reads with the
// extension it is built with; so the set needs no googleapis files and stays small.
// `npm test` checks the committed file is what this script writes.
import * as fs from "fs";
import * as path from "path";
import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
    FieldDescriptorProto_Label as Label,
    FieldDescriptorProto_Type as Type,
    FileDescriptorSetSchema,
    MethodOptionsSchema,
    type MethodOptions,
} from "@bufbuild/protobuf/wkt";

export const OUTPUT = path.join(__dirname, "..", "..", "examples", "istio-ingress-two-clusters", "grpc", "bookstore.pb");

/** google/api/annotations.proto: `extend google.protobuf.MethodOptions { HttpRule http = 72295728; }`. */
const HTTP_EXTENSION = 72295728;
/** google/api/http.proto: HttpRule's `get` is field 2. */
const HTTP_RULE_GET = 2;

function httpGet(pattern: string): MethodOptions {
    const rule = new BinaryWriter().tag(HTTP_RULE_GET, WireType.LengthDelimited).string(pattern).finish();
    const options = create(MethodOptionsSchema);
    options.$unknown = [{ no: HTTP_EXTENSION, wireType: WireType.LengthDelimited, data: new BinaryWriter().bytes(rule).finish() }];
    return options;
}

const field = (name: string, number: number, type: Type, extra: { typeName?: string; label?: Label } = {}) => ({
    name,
    number,
    type,
    label: extra.label ?? Label.OPTIONAL,
    typeName: extra.typeName,
    jsonName: name,
});

export function buildBookstoreDescriptorSet(): Uint8Array {
    const set = create(FileDescriptorSetSchema, {
        file: [
            {
                name: "bookstore.proto",
                package: "bookstore.v1",
                syntax: "proto3",
                messageType: [
                    { name: "Shelf", field: [field("id", 1, Type.INT64), field("theme", 2, Type.STRING)] },
                    { name: "ListShelvesRequest" },
                    {
                        name: "ListShelvesResponse",
                        field: [field("shelves", 1, Type.MESSAGE, { typeName: ".bookstore.v1.Shelf", label: Label.REPEATED })],
                    },
                    { name: "GetShelfRequest", field: [field("shelf", 1, Type.INT64)] },
                ],
                service: [
                    {
                        name: "Bookstore",
                        method: [
                            {
                                name: "ListShelves",
                                inputType: ".bookstore.v1.ListShelvesRequest",
                                outputType: ".bookstore.v1.ListShelvesResponse",
                                options: httpGet("/v1/shelves"),
                            },
                            {
                                name: "GetShelf",
                                inputType: ".bookstore.v1.GetShelfRequest",
                                outputType: ".bookstore.v1.Shelf",
                                options: httpGet("/v1/shelves/{shelf}"),
                            },
                        ],
                    },
                ],
            },
        ],
    });
    return toBinary(FileDescriptorSetSchema, set);
}

if (require.main === module) {
    const bytes = buildBookstoreDescriptorSet();
    fs.writeFileSync(OUTPUT, bytes);
    console.log(`wrote ${path.relative(process.cwd(), OUTPUT)} (${bytes.length} bytes)`);
}
