import { ApolloServerPlugin } from '@apollo/server';
import {
  ASTVisitor,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  getNullableType,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLField,
  GraphQLSchema,
  isCompositeType,
  isIntrospectionType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationDefinitionNode,
  SchemaMetaFieldDef,
  SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  ValidationContext,
  valueFromAST,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/pagination';

/** Deepest field nesting an operation may have (introspection exempt). @default 12 */
export const MAX_DEPTH = 12;
/** Largest cost an operation may have (fields, multiplied by the list sizes they ask for). @default 20_000 */
export const MAX_COMPLEXITY = 20_000;
/** Most fields an operation may select, every fragment spread counted where it is spread. @default 2_000 */
export const MAX_FIELDS = 2_000;
/** Most aliases an operation may use, counted like fields. @default 50 */
export const MAX_ALIASES = 50;
/** Most fields one selection set may hold under one response name (graphql compares those pairwise). @default 20 */
export const MAX_SAME_NAME = 20;
/** Most lexical tokens a document may have (graphql-js stops parsing past it). @default 15_000 */
export const MAX_TOKENS = 15_000;

/** What one operation selects with every fragment expanded in place. */
export interface OperationSize {
  /** Deepest field nesting, introspection fields not counted. */
  depth: number;
  fields: number;
  aliases: number;
  /** Most selections under one response name in one selection set (fragments merged in). */
  crowd: number;
  /**
   * Aliases on introspection fields (`__schema`, `__type` and what they select). Without aliases,
   * repeated introspection fields merge into one; with them each copy walks the schema again, and
   * introspection needs no key.
   */
  introspectionAliases: number;
  /** Each field costs its own price plus its children's cost times the list size it returns. */
  cost: number;
}

/** A selection set's size and how many selections it holds per response name (fragments merged in). */
interface SetSize extends OperationSize {
  names: Map<string, number>;
}

const NOTHING: SetSize = { depth: 0, fields: 0, aliases: 0, crowd: 0, introspectionAliases: 0, cost: 0, names: new Map() };

function refusal(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
}

/**
 * Measures operations in time linear in the document: each fragment is measured once and its size
 * reused at every spread (a fragment spread twice per level for 40 levels is 40 measurements, not
 * 2^40), and a fragment met again while it is being measured is a cycle and refused.
 */
class Sizer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, SetSize | 'measuring'>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown> | undefined,
  ) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  /** How many fragments have been measured (each at most once). */
  get fragmentsMeasured(): number {
    return this.measured.size;
  }

  operation(op: OperationDefinitionNode): OperationSize {
    const root = op.operation === 'query' ? this.schema.getQueryType() : op.operation === 'mutation' ? this.schema.getMutationType() : this.schema.getSubscriptionType();
    const { depth, fields, aliases, crowd, introspectionAliases, cost } = this.selectionSet(op.selectionSet, root ?? undefined);
    return { depth, fields, aliases, crowd, introspectionAliases, cost };
  }

  private selectionSet(set: SelectionSetNode, type: GraphQLCompositeType | undefined): SetSize {
    const total: SetSize = { ...NOTHING, names: new Map() };
    const count = (name: string, n: number) => {
      const now = (total.names.get(name) ?? 0) + n;
      total.names.set(name, now);
      total.crowd = Math.max(total.crowd, now);
    };
    for (const s of set.selections) {
      let part: OperationSize;
      if (s.kind === Kind.FIELD) {
        part = this.field(s, type);
        count((s.alias ?? s.name).value, 1);
      } else {
        const inner = s.kind === Kind.INLINE_FRAGMENT ? this.selectionSet(s.selectionSet, this.typeNamed(s.typeCondition?.name.value) ?? type) : this.fragment(s.name.value);
        for (const [name, n] of inner.names) count(name, n);
        part = inner;
      }
      total.depth = Math.max(total.depth, part.depth);
      total.fields += part.fields;
      total.aliases += part.aliases;
      total.crowd = Math.max(total.crowd, part.crowd);
      total.introspectionAliases += part.introspectionAliases;
      total.cost += part.cost;
    }
    return total;
  }

  private fragment(name: string): SetSize {
    const known = this.measured.get(name);
    if (known === 'measuring') throw refusal(`Fragment "${name}" spreads itself`);
    if (known) return known;
    const f = this.fragments.get(name);
    // An unknown fragment is reported by graphql's own KnownFragmentNames rule.
    if (!f) return NOTHING;
    this.measured.set(name, 'measuring');
    const size = this.selectionSet(f.selectionSet, this.typeNamed(f.typeCondition.name.value));
    this.measured.set(name, size);
    return size;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType | undefined): OperationSize {
    const def = this.fieldDef(node.name.value, parent);
    const childType = def ? getNamedType(def.type) : undefined;
    const child = node.selectionSet ? this.selectionSet(node.selectionSet, childType && isCompositeType(childType) ? childType : undefined) : NOTHING;
    // Introspection reads the schema, not data: GraphiQL's schema query nests ofType deeply, and its
    // lists are as long as the schema (graphql's MaxIntrospectionDepth rule bounds their nesting).
    const introspection = node.name.value.startsWith('__') || (parent !== undefined && isIntrospectionType(parent));
    const price = typeof def?.extensions.cost === 'number' ? def.extensions.cost : 1;
    return {
      depth: introspection ? 0 : 1 + child.depth,
      fields: 1 + child.fields,
      aliases: (node.alias ? 1 : 0) + child.aliases,
      crowd: child.crowd,
      introspectionAliases: (introspection && node.alias && node.name.value !== '__typename' ? 1 : 0) + child.introspectionAliases,
      cost: price + child.cost * (introspection || !def ? 1 : this.listSize(def, node)),
    };
  }

  /**
   * How many items a field returns at most: its `first` (default as declared, else a default page),
   * else its `listSize` extension (a connection's edges: already counted by the connection's `first`),
   * else a full page for any other list, else 1.
   */
  private listSize(def: GraphQLField<unknown, unknown>, node: FieldNode): number {
    const firstArg = def.args.find((a) => a.name === 'first');
    if (firstArg) {
      const given = node.arguments?.find((a) => a.name.value === 'first');
      const value = given ? valueFromAST(given.value, firstArg.type, this.variables) : firstArg.defaultValue;
      return Math.min(Math.max(typeof value === 'number' ? value : DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    }
    if (typeof def.extensions.listSize === 'number') return def.extensions.listSize;
    return isListType(getNullableType(def.type)) ? MAX_PAGE_SIZE : 1;
  }

  /** The definition of a field, the meta fields (`__schema`, `__type`, `__typename`) included. */
  private fieldDef(name: string, parent: GraphQLCompositeType | undefined): GraphQLField<unknown, unknown> | undefined {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent && parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
  }

  private typeNamed(name: string | undefined): GraphQLCompositeType | undefined {
    const t = name ? this.schema.getType(name) : undefined;
    return t && isCompositeType(t) ? t : undefined;
  }
}

/** Runs a limit; anything unexpected inside it refuses the request (a limit never fails open). */
function failClosed<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof GraphQLError) throw e;
    throw refusal('The operation could not be checked against the limits');
  }
}

/** The size of each operation of a document, and how many fragment measurements that took. */
export function measureDocument(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>): { sizes: OperationSize[]; fragmentsMeasured: number } {
  const sizer = new Sizer(schema, document, variables);
  const sizes = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION).map((op) => sizer.operation(op));
  return { sizes, fragmentsMeasured: sizer.fragmentsMeasured };
}

/** The first limit a document breaks (depth, fields, aliases, same-named fields, fragment cycle), as a refusal; undefined when it keeps them all. */
export function limitError(schema: GraphQLSchema, document: DocumentNode): GraphQLError | undefined {
  try {
    return failClosed(() => {
      for (const size of measureDocument(schema, document).sizes) {
        if (size.depth > MAX_DEPTH) return refusal(`Query is nested ${size.depth} levels deep; the limit is ${MAX_DEPTH}`);
        if (size.fields > MAX_FIELDS) return refusal(`Query selects ${size.fields} fields (fragments counted where spread); the limit is ${MAX_FIELDS}`);
        if (size.aliases > MAX_ALIASES) return refusal(`Query uses ${size.aliases} aliases; the limit is ${MAX_ALIASES}`);
        if (size.crowd > MAX_SAME_NAME) return refusal(`Query selects one name ${size.crowd} times in one place; the limit is ${MAX_SAME_NAME}`);
        if (size.introspectionAliases > 0) return refusal('Introspection fields may not be aliased');
      }
      return undefined;
    });
  } catch (e) {
    return e as GraphQLError;
  }
}

/**
 * The limits as a validation rule. Run it on its own before graphql's own rules (some of them walk
 * every spread or compare same-named fields pairwise, so they must never see a hostile document):
 * the HTTP face does so in its limits middleware and graphql-ws in onSubscribe. Apollo runs it again
 * with the others, where it only guards against a document reaching Apollo some other way.
 */
export function operationLimitsRule() {
  return (context: ValidationContext): ASTVisitor => ({
    Document(doc) {
      const err = limitError(context.getSchema(), doc);
      if (err) context.reportError(err);
      return false;
    },
  });
}

/** Throws the complexity refusal for an operation over MAX_COMPLEXITY (variables known, so `first: $n` counts as given). */
export function assertWithinCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}, operationName?: string | null): void {
  failClosed(() => {
    const op = getOperationAST(document, operationName);
    // No such operation (or an ambiguous choice): graphql's execution reports it.
    if (!op) return;
    const { cost } = new Sizer(schema, document, variables).operation(op);
    if (cost > MAX_COMPLEXITY) throw refusal(`Query costs ${cost}; the limit is ${MAX_COMPLEXITY} (ask for smaller pages)`);
  });
}

/** Apollo plugin applying the cost limit once variables are known. */
export function complexityPlugin(schema: GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          assertWithinCost(schema, document, request.variables ?? {}, request.operationName);
        },
      };
    },
  };
}
