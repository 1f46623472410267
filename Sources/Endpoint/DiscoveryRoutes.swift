import Directory
import Foundation
import GRDB
import Hummingbird
import SCIM

/// `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes` (RFC 7644 §4) and
/// Grafana's `config/default` SCIMConfig object.
struct DiscoveryRoutes: Sendable {
    let directory: Directory
    let configuration: EndpointConfiguration
    let routes: SCIMRoutes
    let toggles: ToggleWatcher

    func register(_ table: RouteTable, base: String) {
        table.route(RouterPath("\(base)/ServiceProviderConfig"), [.get: routes.scim { r in
            JSONResponse.scim(.ok, ServiceProviderConfig.document(baseURL: r.baseURL), context: r.context)
        }])
        table.route(RouterPath("\(base)/Schemas"), [.get: routes.scim { r in
            let docs = CoreSchemas.all.map { $0.document(baseURL: r.baseURL) }
            return JSONResponse.scim(.ok, ListResponse(resources: docs, totalResults: docs.count, startIndex: 1).document,
                                     context: r.context)
        }])
        table.route(RouterPath("\(base)/Schemas/:id"), [.get: routes.scim { r in
            guard let schema = CoreSchemas.schema(id: r.id()) else {
                throw SCIMError.notFound("Schema \(r.id()) is not served here.")
            }
            return JSONResponse.scim(.ok, schema.document(baseURL: r.baseURL), context: r.context)
        }])
        table.route(RouterPath("\(base)/ResourceTypes"), [.get: routes.scim { r in
            let docs = ResourceType.all.map { $0.document(baseURL: r.baseURL) }
            return JSONResponse.scim(.ok, ListResponse(resources: docs, totalResults: docs.count, startIndex: 1).document,
                                     context: r.context)
        }])
        table.route(RouterPath("\(base)/ResourceTypes/:id"), [.get: routes.scim { r in
            guard let type = ResourceType.named(r.id()) else {
                throw SCIMError.notFound("Resource type \(r.id()) is not served here.")
            }
            return JSONResponse.scim(.ok, type.document(baseURL: r.baseURL), context: r.context)
        }])
        table.route(RouterPath("\(base)/config/default"), [
            .get: routes.scim { r in try scimConfig(r) },
            .put: routes.scim { r in
                let spec = try SCIMConfig(json: r.body())
                try directory.setSetting(SCIMConfig.settingKey, JSONCoding.serialize(spec.specDocument))
                return try scimConfig(r)
            },
            .delete: routes.scim { r in
                try directory.setSetting(SCIMConfig.settingKey, nil)
                return JSONResponse.json(.ok, ["message": "SCIM config deleted; the ini file's settings apply."],
                                         context: r.context)
            },
        ])
    }

    /// The effective SCIMConfig: the API object if one was PUT, else the ini's `[auth.scim]`.
    func scimConfig(_ r: SCIMRequest) throws -> Response {
        let config: SCIMConfig
        if let stored = try directory.setting(SCIMConfig.settingKey) {
            config = try SCIMConfig(json: ["spec": JSONCoding.parse(stored)])
        } else {
            config = SCIMConfig(ini: toggles.ini)
        }
        return JSONResponse.json(.ok, config.document(namespace: r.context.parameters.get("namespace") ?? configuration.namespace.description), context: r.context)
    }
}
