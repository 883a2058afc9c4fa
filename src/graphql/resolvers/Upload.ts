import { GraphQLError, GraphQLScalarType } from 'graphql';
import type { FileUpload } from '../../documents/fileUpload.js';
import { isStreamedFile } from '../plugins/uploads.js';

const notAFile = () =>
  new GraphQLError(
    'An Upload is a file part of a multipart request (the GraphQL multipart request spec): send the variable as null in "operations" and map a file part to it.',
  );

/**
 * A file of a multipart request, as src/graphql/plugins/uploads.ts puts it into the variables. Nothing
 * else is one: not a string, not an object spelled in JSON, not a literal in the document.
 */
export const Upload = new GraphQLScalarType<FileUpload, never>({
  name: 'Upload',
  serialize: () => {
    throw new GraphQLError('An Upload is input only.');
  },
  parseValue: (value) => {
    if (isStreamedFile(value)) return value;
    throw notAFile();
  },
  parseLiteral: (ast) => {
    void ast;
    throw notAFile();
  },
});
